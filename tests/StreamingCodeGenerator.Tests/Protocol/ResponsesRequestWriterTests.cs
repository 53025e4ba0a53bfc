using System.Text;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>The JSON body of a streamed request to OpenAI's Responses API.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ResponsesRequestWriterTests
{
    private static readonly ConversationMessage[] Conversation =
    [
        ConversationMessage.System("You write C#."),
        ConversationMessage.System("Answer with code only."),
        ConversationMessage.User("Sort a list"),
        ConversationMessage.Assistant("list.Sort();"),
        ConversationMessage.System("Be brief."),
        ConversationMessage.User("Descending"),
    ];

    [Test]
    public void Write_Conversation_LeadingSystemMessagesBecomeInstructionsLaterOnesDeveloperItems()
    {
        string body = Text(ResponsesRequestWriter.Write("gpt-5-codex", Conversation, temperature: null, maxOutputTokens: null, []));

        body.Should().Be(
            "{\"model\":\"gpt-5-codex\",\"instructions\":\"You write C#.\\n\\nAnswer with code only.\",\"input\":["
            + "{\"role\":\"user\",\"content\":\"Sort a list\"},{\"role\":\"assistant\",\"content\":\"list.Sort();\"},"
            + "{\"role\":\"developer\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Descending\"}],"
            + "\"stream\":true,\"store\":false}");
    }

    [Test]
    public void Write_NoSystemMessage_HasNoInstructions()
    {
        string body = Text(ResponsesRequestWriter.Write("gpt-4o-mini", [ConversationMessage.User("hi")], null, null, []));

        body.Should().Be("{\"model\":\"gpt-4o-mini\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"store\":false}");
    }

    [Test]
    public void Write_Settings_WritesTemperatureMaxOutputTokensAndReasoningSummary()
    {
        string body = Text(ResponsesRequestWriter.Write("o4-mini", [ConversationMessage.User("hi")], 0.25f, 2048, [], reasoningSummary: "auto"));

        body.Should().Be(
            "{\"model\":\"o4-mini\",\"input\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,\"store\":false,"
            + "\"temperature\":0.25,\"max_output_tokens\":2048,\"reasoning\":{\"summary\":\"auto\"}}");
    }

    [Test]
    public void Write_Continuation_AddsTheAnswerSoFarAndTheInstruction()
    {
        PreparedRequest request = PreparedRequest.Create(
            new CodeGenerationRequest { Messages = [ConversationMessage.User("Sort")] },
            new StreamingCodeGeneratorOptions { Model = "gpt-5", SystemPrompt = string.Empty },
            new Uri("https://api.openai.com/v1"));
        ChatAttempt attempt = ChatAttempt.Continuation(request, "def sort(xs):\n    return so", includeUsage: true);

        string body = Text(ResponsesRequestWriter.Write(attempt, reasoningSummary: null));

        body.Should().Contain(
            "{\"role\":\"user\",\"content\":\"Sort\"},{\"role\":\"assistant\",\"content\":\"def sort(xs):\\n    return so\"},"
            + "{\"role\":\"user\",\"content\":\"" + ChatAttempt.ContinuationInstruction + "\"}]");
    }

    [Test]
    public void Write_StopSequences_ThrowsNotSupportedExceptionNamingTheSetting()
    {
        Action write = () => ResponsesRequestWriter.Write("gpt-5", [ConversationMessage.User("x")], null, null, ["```"]);

        write.Should().Throw<NotSupportedException>().WithMessage("*Responses API has no stop sequences*StopSequences*");
    }

    [Test]
    public void Write_TextNeedingEscapes_IsValidJsonWithTheSameText()
    {
        const string prompt = "Quote \"this\", a \\ backslash, a tab\t, é and 😀";

        using var json = System.Text.Json.JsonDocument.Parse(ResponsesRequestWriter.Write("m", [ConversationMessage.User(prompt)], null, null, []));

        json.RootElement.GetProperty("input")[0].GetProperty("content").GetString().Should().Be(prompt);
    }

    private static string Text(BinaryData body) => Encoding.UTF8.GetString(body.ToMemory().Span);
}
