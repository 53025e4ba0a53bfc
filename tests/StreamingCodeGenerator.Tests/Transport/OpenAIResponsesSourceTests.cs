using System.Text.Json;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Transport;

/// <summary>
/// OpenAI's Responses API as a user configures it (<see cref="ModelProvider.OpenAIResponses"/>): reasoning summaries,
/// what the API cannot do, retries before the first content only, the environment variables.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class OpenAIResponsesSourceTests
{
    private static StreamingCodeGeneratorOptions ResponsesOptions(OpenAITestServer server, TimeProvider? time = null, int maxRetries = 0)
    {
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries);
        options.Provider = ModelProvider.OpenAIResponses;
        return options;
    }

    [Test]
    public async Task IncludeReasoning_ForAReasoningModel_AsksForASummary_WhichArrivesAsReasoningChunks()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new ResponsesScript().Created().ReasoningSummary("Weighing ", "options.").Text("Answer.").Completed(reasoningTokens: 64));
        StreamingCodeGeneratorOptions options = ResponsesOptions(server);
        options.Model = "gpt-5-codex";
        options.IncludeReasoning = true;

        CodeGenerationStream stream = Create(options).GenerateAsync("x");
        (_, List<Chunk> chunks) = await CollectAsync(stream);

        string.Concat(chunks.Where(c => c.Kind == ChunkKind.Reasoning).Select(c => c.Text)).Should().Be("Weighing options.");
        string.Concat(chunks.Where(c => c.Kind != ChunkKind.Reasoning).Select(c => c.Text)).Should().Be("Answer.");
        stream.Stats.Usage!.ReasoningTokenCount.Should().Be(64);
        JsonElement request = server.Requests.Single().Json;
        request.GetProperty("reasoning").GetProperty("summary").GetString().Should().Be("auto");
        request.GetProperty("store").GetBoolean().Should().BeFalse();
    }

    [Test]
    public async Task IncludeReasoning_ForAModelThatDoesNotReason_AsksForNoSummary()
    {
        await using var server = await OpenAITestServer.StartAsync(ResponsesScript.Answer("ok"));
        StreamingCodeGeneratorOptions options = ResponsesOptions(server);
        options.Model = "gpt-4o";
        options.IncludeReasoning = true;

        await CollectAsync(Create(options).GenerateAsync("x"));

        server.Requests.Single().Json.TryGetProperty("reasoning", out _).Should().BeFalse("models that do not reason refuse the setting");
    }

    [Test]
    public async Task StopSequences_AreRefusedBeforeAnythingIsSent_NamingTheSetting()
    {
        await using var server = await OpenAITestServer.StartAsync(ResponsesScript.Answer("never"));
        var request = new CodeGenerationRequest("x") { StopSequences = ["END"] };

        Func<Task> run = () => CollectAsync(Create(ResponsesOptions(server)).GenerateAsync(request));

        (await run.Should().ThrowAsync<ArgumentException>()).Which.Message.Should().Contain("StopSequences").And.Contain("Responses API");
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task ErrorEvent_BeforeAnyContent_IsRetried_ThenAnswers()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(
            new ResponsesScript().Created().ErrorEvent().Failed(),
            ResponsesScript.Answer("ok"));
        CodeGenerationStream stream = Create(ResponsesOptions(server, time, maxRetries: 2)).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        time.Advance(TimeSpan.FromSeconds(1));

        (await run.Soon()).Item1.Should().Be("ok");
        stream.Stats.Attempts.Should().Be(2);
    }

    [Test]
    public async Task Incomplete_AtTheOutputLimit_CompletesTruncated_WithTheTextReceived()
    {
        await using var server = await OpenAITestServer.StartAsync(new ResponsesScript().Created().Text("def f(", "x").Incomplete());

        CodeGenerationStream stream = Create(ResponsesOptions(server, maxRetries: 2)).GenerateAsync("x");
        (string text, _) = await CollectAsync(stream);

        text.Should().Be("def f(x");
        stream.Stats.FinishReason.Should().Be(FinishReason.Length);
        stream.Stats.IsTruncated.Should().BeTrue();
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task Environment_OpenAIBaseUrlAndKey_AreUsed_WithTheKeyAsABearerToken()
    {
        await using var server = await OpenAITestServer.StartAsync(ResponsesScript.Answer("from env"));
        var environment = new Dictionary<string, string?> { ["OPENAI_BASE_URL"] = server.Endpoint.ToString(), ["OPENAI_API_KEY"] = "sk-from-env" };
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.OpenAIResponses };
        var generator = StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(null, null), options, new GeneratorServices(Environment: name => environment.GetValueOrDefault(name)));

        (string text, _) = await CollectAsync(generator.GenerateAsync("x"));

        text.Should().Be("from env");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/v1/responses");
        request.Headers["Authorization"].Should().Be("Bearer sk-from-env");
    }

    [Test]
    public void MaxOutputTokensBelowSixteen_IsAValidationFailure()
    {
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.OpenAIResponses, ApiKey = "sk-x", MaxOutputTokens = 15 };

        new StreamingCodeGeneratorOptionsValidator().Validate(null, options).Failures.Should().ContainSingle()
            .Which.Should().Contain("MaxOutputTokens").And.Contain("at least 16");
    }

    [Test]
    public void EntraTokenProvider_IsRefused_TheResponsesSourceTakesAKey()
    {
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.OpenAIResponses, Endpoint = new Uri("https://example.openai.azure.com/openai/v1/") };

        Action create = () => StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(new StaticTokenProvider(), null), options, new GeneratorServices(Environment: NoEnvironment));

        create.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("OpenAIResponses").And.Contain("ApiKey");
    }

    private sealed class StaticTokenProvider : System.ClientModel.AuthenticationTokenProvider
    {
        public override System.ClientModel.Primitives.GetTokenOptions? CreateTokenOptions(IReadOnlyDictionary<string, object> properties) => null;

        public override System.ClientModel.Primitives.AuthenticationToken GetToken(System.ClientModel.Primitives.GetTokenOptions options, CancellationToken cancellationToken) =>
            new("token", "Bearer", DateTimeOffset.MaxValue);

        public override ValueTask<System.ClientModel.Primitives.AuthenticationToken> GetTokenAsync(System.ClientModel.Primitives.GetTokenOptions options, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(options, cancellationToken));
    }
}
