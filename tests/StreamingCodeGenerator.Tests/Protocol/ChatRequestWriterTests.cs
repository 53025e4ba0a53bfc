using System.Text.Json;

namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>The JSON body of a streaming chat completion request.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ChatRequestWriterTests
{
    private static readonly Uri OpenAI = new("https://api.openai.com/v1");
    private static readonly Uri Local = new("http://localhost:11434/v1");

    [Test]
    public void Write_PlainRequest_StreamsWithUsageAndTheDefaultSystemPrompt()
    {
        using JsonDocument body = Write(new CodeGenerationRequest("Sort a list"), OpenAI, includeUsage: true, continuationText: null);
        JsonElement root = body.RootElement;

        root.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        root.GetProperty("stream").GetBoolean().Should().BeTrue();
        root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().Should().BeTrue();
        Messages(root).Should().Equal(("system", StreamingCodeGeneratorOptions.DefaultSystemPrompt), ("user", "Sort a list"));
        root.TryGetProperty("temperature", out _).Should().BeFalse();
        root.TryGetProperty("max_tokens", out _).Should().BeFalse();
        root.TryGetProperty("max_completion_tokens", out _).Should().BeFalse();
        root.TryGetProperty("stop", out _).Should().BeFalse();
    }

    [Test]
    public void Write_UsageNotRequested_HasNoStreamOptions()
    {
        using JsonDocument body = Write(new CodeGenerationRequest("x"), OpenAI, includeUsage: false, continuationText: null);

        body.RootElement.TryGetProperty("stream_options", out _).Should().BeFalse();
        body.RootElement.GetProperty("stream").GetBoolean().Should().BeTrue();
    }

    [Test]
    public void Write_Continuation_AddsTheAnswerSoFarAndTheInstruction()
    {
        using JsonDocument body = Write(new CodeGenerationRequest("Sort a list"), OpenAI, includeUsage: true, continuationText: "def sort(xs):\n    return so");

        Messages(body.RootElement).Should().Equal(
            ("system", StreamingCodeGeneratorOptions.DefaultSystemPrompt),
            ("user", "Sort a list"),
            ("assistant", "def sort(xs):\n    return so"),
            ("user", ChatAttempt.ContinuationInstruction));
    }

    [Test]
    public void Write_EmptyContinuationText_IsStillAContinuation()
    {
        using JsonDocument body = Write(new CodeGenerationRequest("x"), OpenAI, includeUsage: true, continuationText: string.Empty);

        Messages(body.RootElement).Select(m => m.Role).Should().Equal("system", "user", "assistant", "user");
    }

    [TestCase("https://api.openai.com/v1", "max_completion_tokens", TestName = "Write_OpenAIEndpoint_UsesMaxCompletionTokens")]
    [TestCase("https://my-resource.openai.azure.com/openai/v1/", "max_completion_tokens", TestName = "Write_AzureEndpoint_UsesMaxCompletionTokens")]
    [TestCase("http://localhost:11434/v1", "max_tokens", TestName = "Write_OtherEndpoint_UsesMaxTokens")]
    public void Write_OutputLimit_NamedForTheEndpoint(string endpoint, string expectedName)
    {
        var request = new CodeGenerationRequest("x") { MaxOutputTokens = 300 };

        using JsonDocument body = Write(request, new Uri(endpoint), includeUsage: true, continuationText: null);

        body.RootElement.GetProperty(expectedName).GetInt32().Should().Be(300);
        body.RootElement.TryGetProperty(expectedName == "max_tokens" ? "max_completion_tokens" : "max_tokens", out _).Should().BeFalse();
    }

    [Test]
    public void Write_SettingsAndHistory_AreSentAsGiven()
    {
        var request = new CodeGenerationRequest
        {
            Messages = [ConversationMessage.System("Be terse."), ConversationMessage.User("Hi \"there\"\n"), ConversationMessage.Assistant("Hello")],
            Prompt = "Now sort: café 😀",
            Model = "my-deployment",
            Temperature = 0.25f,
            StopSequences = ["END", "\n\n"],
        };

        using JsonDocument body = Write(request, Local, includeUsage: true, continuationText: null);
        JsonElement root = body.RootElement;

        root.GetProperty("model").GetString().Should().Be("my-deployment");
        root.GetProperty("temperature").GetDouble().Should().Be(0.25);
        root.GetProperty("stop").EnumerateArray().Select(e => e.GetString()).Should().Equal("END", "\n\n");
        Messages(root).Should().Equal(("system", "Be terse."), ("user", "Hi \"there\"\n"), ("assistant", "Hello"), ("user", "Now sort: café 😀"));
    }

    private static JsonDocument Write(CodeGenerationRequest request, Uri endpoint, bool includeUsage, string? continuationText)
    {
        PreparedRequest prepared = PreparedRequest.Create(request, new StreamingCodeGeneratorOptions(), endpoint);
        ChatAttempt attempt = continuationText is null
            ? ChatAttempt.First(prepared, includeUsage)
            : ChatAttempt.Continuation(prepared, continuationText, includeUsage);
        return JsonDocument.Parse(ChatRequestWriter.Write(attempt).ToMemory());
    }

    private static List<(string Role, string Content)> Messages(JsonElement root) =>
        root.GetProperty("messages").EnumerateArray()
            .Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!))
            .ToList();
}
