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
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16384,\"system\":\"You write C#.\\n\\nBe brief.\",\"messages\":["
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
    public void Write_ContinuationAttempt_IsAPrefillOfTheAnswerSoFar()
    {
        ChatAttempt attempt = ChatAttempt.Continuation(Request(), "def sort(xs):\n    ", includeUsage: true);

        string body = Text(AnthropicRequestWriter.Write(attempt, thinkingBudgetTokens: null));

        body.Should().Contain("\"messages\":[{\"role\":\"user\",\"content\":\"Sort\"},{\"role\":\"assistant\",\"content\":\"def sort(xs):\"}]");
        body.Should().NotContain(ChatAttempt.ContinuationInstruction);
    }

    [TestCase("claude-3-haiku-20240307", 4096)]
    [TestCase("claude-3-opus-latest", 4096)]
    [TestCase("claude-3-5-haiku-latest", 8192)]
    [TestCase("claude-3-7-sonnet-20250219", 16384)]
    [TestCase("claude-sonnet-4-5", 16384)]
    [TestCase("anthropic/claude-3-5-sonnet", 8192)]
    public void DefaultMaxTokens_IsTheLargestEveryModelOfTheFamilyAccepts_UpTo16384(string model, int expected)
    {
        AnthropicRequestWriter.DefaultMaxTokens(model).Should().Be(expected);
    }

    [Test]
    public void Write_ThinkingWithContinuation_ThinkingIsOnAndTheContinuationAsksInsteadOfPrefilling()
    {
        ChatAttempt attempt = ChatAttempt.Continuation(Request(maxOutputTokens: 8000), "def sort(xs):\n", includeUsage: true);

        string body = Text(AnthropicRequestWriter.Write(attempt, thinkingBudgetTokens: 2048));

        body.Should().Be(
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8000,\"messages\":[{\"role\":\"user\",\"content\":\"Sort\"},"
            + "{\"role\":\"assistant\",\"content\":\"def sort(xs):\\n\"},{\"role\":\"user\",\"content\":\"" + ChatAttempt.ContinuationInstruction + "\"}],"
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

    private static PreparedRequest Request(int? maxOutputTokens = null) => PreparedRequest.Create(
        new CodeGenerationRequest { Messages = [ConversationMessage.User("Sort")], MaxOutputTokens = maxOutputTokens },
        new StreamingCodeGeneratorOptions { Model = "claude-sonnet-4-5", SystemPrompt = string.Empty },
        new Uri("https://api.anthropic.com/v1"));

    private static string Text(BinaryData body) => Encoding.UTF8.GetString(body.ToMemory().Span);
}
