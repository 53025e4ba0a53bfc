using System.Text;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>The JSON body of a streamed request to Anthropic's Messages API.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AnthropicRequestWriterTests
{
    [Test]
    public void Write_Conversation_SystemMessagesGoTopLevelAndMaxTokensGetsTheDefault()
    {
        ConversationMessage[] conversation =
        [
            ConversationMessage.System("You write C#."),
            ConversationMessage.User("Sort a list"),
            ConversationMessage.Assistant("list.Sort();"),
            ConversationMessage.System("Be brief."),
            ConversationMessage.User("Descending"),
        ];

        string body = Text(AnthropicRequestWriter.Write("claude-sonnet-4-5", conversation, temperature: null, maxOutputTokens: null, [], continuationText: null));

        body.Should().Be(
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":4096,\"system\":\"You write C#.\\n\\nBe brief.\",\"messages\":["
            + "{\"role\":\"user\",\"content\":\"Sort a list\"},{\"role\":\"assistant\",\"content\":\"list.Sort();\"},"
            + "{\"role\":\"user\",\"content\":\"Descending\"}],\"stream\":true}");
    }

    [Test]
    public void Write_Settings_WritesMaxTokensTemperatureAndStopSequences()
    {
        using var body = System.Text.Json.JsonDocument.Parse(AnthropicRequestWriter.Write("claude-opus-4-5", [ConversationMessage.User("hi")], 0.5f, 16000, ["```\n", "END"], null));
        System.Text.Json.JsonElement root = body.RootElement;

        root.GetProperty("max_tokens").GetInt32().Should().Be(16000);
        root.GetProperty("temperature").GetDouble().Should().Be(0.5);
        root.GetProperty("stop_sequences").EnumerateArray().Select(e => e.GetString()).Should().Equal("```\n", "END");
        root.EnumerateObject().Select(p => p.Name).Should().Equal("model", "max_tokens", "messages", "stream", "temperature", "stop_sequences");
    }

    [Test]
    public void Write_Continuation_IsAPrefillWithoutTrailingWhitespaceAndWithoutInstruction()
    {
        string body = Text(AnthropicRequestWriter.Write("claude-sonnet-4-5", [ConversationMessage.User("Sort")], null, null, [], continuationText: "def sort(xs):\n    "));

        body.Should().Contain("\"messages\":[{\"role\":\"user\",\"content\":\"Sort\"},{\"role\":\"assistant\",\"content\":\"def sort(xs):\"}]");
        AnthropicRequestWriter.Prefill("def sort(xs):\n    ").Should().Be("def sort(xs):");
    }

    [Test]
    public void Write_ContinuationOfOnlyWhitespace_SendsNoPrefill()
    {
        string body = Text(AnthropicRequestWriter.Write("claude-sonnet-4-5", [ConversationMessage.User("Sort")], null, null, [], continuationText: " \n"));

        body.Should().Contain("\"messages\":[{\"role\":\"user\",\"content\":\"Sort\"}]");
    }

    [Test]
    public void Write_ThinkingWithContinuation_ThinkingIsOnAndTheContinuationAsksInsteadOfPrefilling()
    {
        string body = Text(AnthropicRequestWriter.Write("claude-sonnet-4-5", [ConversationMessage.User("Sort")], null, 8000, [], continuationText: "def sort(xs):\n", thinkingBudgetTokens: 2048));

        body.Should().Be(
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8000,\"messages\":[{\"role\":\"user\",\"content\":\"Sort\"},"
            + "{\"role\":\"assistant\",\"content\":\"def sort(xs):\\n\"},{\"role\":\"user\",\"content\":\"" + ChatRequestWriter.ContinuationInstruction + "\"}],"
            + "\"stream\":true,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2048}}");
    }

    [Test]
    public void Write_ThinkingWithTemperature_ThrowsNotSupportedException()
    {
        Action write = () => AnthropicRequestWriter.Write("claude-sonnet-4-5", [ConversationMessage.User("x")], 0.2f, null, [], null, thinkingBudgetTokens: 1024);

        write.Should().Throw<NotSupportedException>().WithMessage("*thinking*Temperature*");
    }

    [Test]
    public void Constants_MatchTheApi()
    {
        AnthropicRequestWriter.ApiVersion.Should().Be("2023-06-01");
        AnthropicRequestWriter.RelativePath.Should().Be("messages");
        ResponsesRequestWriter.RelativePath.Should().Be("responses");
    }

    private static string Text(BinaryData body) => Encoding.UTF8.GetString(body.ToMemory().Span);
}
