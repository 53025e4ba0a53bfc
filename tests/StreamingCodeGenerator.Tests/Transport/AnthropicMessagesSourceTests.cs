using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Transport;

/// <summary>
/// Anthropic's Messages API as a user configures it (<see cref="ModelProvider.Anthropic"/>): what is retried and after
/// how long, the environment variables, the options that only Claude has, and dependency injection.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AnthropicMessagesSourceTests
{
    private const string Key = "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-AbCdEfGh-0123456789AA";

    private static StreamingCodeGeneratorOptions AnthropicOptions(OpenAITestServer server, TimeProvider? time = null, int maxRetries = 0)
    {
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries);
        options.Provider = ModelProvider.Anthropic;
        options.ApiKey = Key;
        options.Model = "claude-sonnet-4-5";
        return options;
    }

    [Test]
    public async Task Overloaded529_WithRetryAfter_WaitsExactlyThatLong_ThenAnswers()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.AnthropicOverloaded(retryAfter: "3"), AnthropicScript.Answer("ok"));
        var notifications = new List<RetryNotification>();
        StreamingCodeGeneratorOptions options = AnthropicOptions(server, time, maxRetries: 2);
        options.OnRetry = n =>
        {
            notifications.Add(n);
            return ValueTask.CompletedTask;
        };
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(3)).Soon();
        time.Advance(TimeSpan.FromSeconds(3));
        (string text, _) = await run.Soon();

        text.Should().Be("ok");
        stream.Stats.Attempts.Should().Be(2);
        notifications.Should().ContainSingle().Which.Delay.Should().Be(TimeSpan.FromSeconds(3), "Anthropic's retry-after on a 529 is honoured");
        ApiException overloaded = notifications[0].Reason.Should().BeOfType<ApiException>().Subject;
        overloaded.StatusCode.Should().Be(529);
        overloaded.ErrorType.Should().Be("overloaded_error");
        overloaded.RequestId.Should().Be(Respond.AnthropicRequestId);
    }

    [Test]
    public async Task Overloaded529_WithoutRetryAfter_WaitsTheBackoff()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.AnthropicOverloaded(), AnthropicScript.Answer("ok"));
        CodeGenerationStream stream = Create(AnthropicOptions(server, time, maxRetries: 2)).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        time.Advance(TimeSpan.FromSeconds(1));

        (await run.Soon()).Item1.Should().Be("ok");
        stream.Stats.Attempts.Should().Be(2);
    }

    [Test]
    public async Task OverloadedErrorEvent_AfterContent_IsNotRetried_AndCarriesExactlyTheTextReceived()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new AnthropicScript().MessageStart().Text("def f():\n", "    return ").ErrorEvent(),
            AnthropicScript.Answer("never sent"));
        StreamingCodeGeneratorOptions options = AnthropicOptions(server, maxRetries: 3);

        (Exception? error, string received) = await CollectFailureAsync(Create(options).GenerateAsync("x")).Soon();

        StreamInterruptedException interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.Reason.Should().Be(StreamInterruptionReason.ServerError);
        interrupted.ErrorType.Should().Be("overloaded_error");
        interrupted.PartialText.Should().Be("def f():\n    return ");
        received.Should().Be(interrupted.PartialText);
        server.RequestCount.Should().Be(1, "content had arrived, so another attempt would repeat it");
    }

    [Test]
    public async Task Unauthorized_IsAuthenticationFailed_AndNotRetried()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.AnthropicUnauthorized(), AnthropicScript.Answer("never"));

        (Exception? error, _) = await CollectFailureAsync(Create(AnthropicOptions(server, maxRetries: 3)).GenerateAsync("x")).Soon();

        error.Should().BeOfType<AuthenticationFailedException>().Which.ServerMessage.Should().Be("invalid x-api-key");
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task PromptTooLong_IsContextLengthExceeded()
    {
        await using var server = await OpenAITestServer.StartAsync(
            Respond.AnthropicError(400, "invalid_request_error", "prompt is too long: 208310 tokens > 200000 maximum"));

        (Exception? error, _) = await CollectFailureAsync(Create(AnthropicOptions(server)).GenerateAsync("x")).Soon();

        error.Should().BeOfType<ContextLengthExceededException>();
    }

    [Test]
    public async Task Environment_AnthropicBaseUrlGetsV1_AndTheKeyTravelsOnlyInXApiKey()
    {
        await using var server = await OpenAITestServer.StartAsync(AnthropicScript.Answer("from env"));
        var environment = new Dictionary<string, string?>
        {
            ["ANTHROPIC_BASE_URL"] = new Uri(server.Endpoint, "/").ToString(),
            ["ANTHROPIC_API_KEY"] = " " + Key + "\n",
            ["OPENAI_API_KEY"] = "sk-openai-must-not-travel",
        };
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.Anthropic, Model = "claude-sonnet-4-5" };
        var generator = StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(null, null), options, new GeneratorServices(Environment: name => environment.GetValueOrDefault(name)));

        (string text, _) = await CollectAsync(generator.GenerateAsync("x"));

        text.Should().Be("from env");
        generator.Options.Endpoint!.AbsoluteUri.Should().Be(server.Endpoint.AbsoluteUri.TrimEnd('/'), "ANTHROPIC_BASE_URL names the host, as Anthropic's SDKs take it");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/v1/messages");
        request.Headers["x-api-key"].Should().Be(Key);
        request.Headers.Should().NotContainKey("Authorization");
        request.Headers["anthropic-version"].Should().Be("2023-06-01");
    }

    [Test]
    public async Task AnthropicApiKey_IsNotSentToAnEndpointTheCallerNamed()
    {
        await using var server = await OpenAITestServer.StartAsync(AnthropicScript.Answer("local"));
        var environment = new Dictionary<string, string?> { ["ANTHROPIC_API_KEY"] = Key };
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.Anthropic, Model = "claude-sonnet-4-5", Endpoint = server.Endpoint };
        var generator = StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(null, null), options, new GeneratorServices(Environment: name => environment.GetValueOrDefault(name)));

        await CollectAsync(generator.GenerateAsync("x"));

        server.Requests.Single().Headers.Should().NotContainKey("x-api-key");
    }

    [Test]
    public void AnthropicsOwnEndpoint_WithOnlyOpenAIsKeyInTheEnvironment_FailsNamingAnthropicApiKey()
    {
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.Anthropic, Model = "claude-sonnet-4-5" };

        Action create = () => StreamingCodeGenerator.Create(
            GeneratorConnection.Endpoint(null, null),
            options,
            new GeneratorServices(Environment: name => name == "OPENAI_API_KEY" ? "sk-openai" : null));

        create.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle()
            .Which.Should().Contain("api.anthropic.com").And.Contain("ANTHROPIC_API_KEY").And.NotContain("sk-openai");
    }

    [TestCase(1023, null, null, "at least 1024")]
    [TestCase(16384, null, null, "less than the output limit (16384")]
    [TestCase(2048, 2048, null, "less than the output limit (2048")]
    [TestCase(2048, 8192, 0.5f, "cannot be combined")]
    public void ThinkingBudget_OutOfRange_IsAValidationFailureSayingWhy(int budget, int? maxOutputTokens, float? temperature, string expected)
    {
        var options = new StreamingCodeGeneratorOptions
        {
            Provider = ModelProvider.Anthropic,
            Model = "claude-sonnet-4-5",
            ApiKey = Key,
            ThinkingBudgetTokens = budget,
            MaxOutputTokens = maxOutputTokens,
            Temperature = temperature,
        };

        ValidateOptionsResult result = new StreamingCodeGeneratorOptionsValidator().Validate(null, options);

        result.Failures.Should().ContainSingle().Which.Should().Contain("ThinkingBudgetTokens").And.Contain(expected);
    }

    [Test]
    public void ThinkingBudget_ForAnotherProvider_IsAValidationFailure()
    {
        var options = new StreamingCodeGeneratorOptions { ApiKey = "sk-x", ThinkingBudgetTokens = 2048 };

        new StreamingCodeGeneratorOptionsValidator().Validate(null, options).Failures.Should().ContainSingle()
            .Which.Should().Contain("ThinkingBudgetTokens").And.Contain("Anthropic");
    }

    [Test]
    public void ModelLeftAtOpenAIsDefault_IsAValidationFailureNamingModel()
    {
        var options = new StreamingCodeGeneratorOptions { Provider = ModelProvider.Anthropic, ApiKey = Key };

        new StreamingCodeGeneratorOptionsValidator().Validate(null, options).Failures.Should().ContainSingle()
            .Which.Should().StartWith("Model").And.Contain("claude");
    }

    [Test]
    public async Task ThinkingBudget_AsksForThinking_WhichArrivesAsReasoningChunksOnlyWhenAskedFor()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new AnthropicScript().MessageStart().Thinking("Let me ", "think.").Text("Answer.").Stop(),
            new AnthropicScript().MessageStart().Thinking("Again.").Text("Answer.").Stop());
        StreamingCodeGeneratorOptions options = AnthropicOptions(server);
        options.ThinkingBudgetTokens = 2048;
        options.IncludeReasoning = true;

        (_, List<Chunk> withReasoning) = await CollectAsync(Create(options).GenerateAsync("x"));
        options.IncludeReasoning = false;
        (string answerOnly, _) = await CollectAsync(Create(options).GenerateAsync("x"));

        string.Concat(withReasoning.Where(c => c.Kind == ChunkKind.Reasoning).Select(c => c.Text)).Should().Be("Let me think.");
        string.Concat(withReasoning.Where(c => c.Kind != ChunkKind.Reasoning).Select(c => c.Text)).Should().Be("Answer.");
        answerOnly.Should().Be("Answer.");
        JsonElement thinking = server.Requests[0].Json.GetProperty("thinking");
        thinking.GetProperty("type").GetString().Should().Be("enabled");
        thinking.GetProperty("budget_tokens").GetInt32().Should().Be(2048);
        server.Requests[0].Json.TryGetProperty("temperature", out _).Should().BeFalse();
    }

    [Test]
    public async Task Usage_IsTheServersWithCachedTokens()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new AnthropicScript().MessageStart(inputTokens: 40, cacheReadTokens: 1000, cacheCreationTokens: 7).Text("ok").Stop(outputTokens: 3));

        CodeGenerationStream stream = Create(AnthropicOptions(server)).GenerateAsync("x");
        await CollectAsync(stream);

        TokenUsage usage = stream.Stats.Usage!;
        usage.InputTokenCount.Should().Be(1047, "Anthropic counts cache reads and writes apart from input_tokens; the total prompt is their sum");
        usage.CachedInputTokenCount.Should().Be(1000);
        usage.OutputTokenCount.Should().Be(3);
    }

    [Test]
    public async Task AddStreamingCodeGenerator_ProviderFromConfiguration_SpeaksTheMessagesApi()
    {
        await using var server = await OpenAITestServer.StartAsync(AnthropicScript.Answer("from ", "config"));
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ai:Provider"] = "Anthropic",
            ["Ai:Endpoint"] = server.Endpoint.ToString(),
            ["Ai:ApiKey"] = Key,
            ["Ai:Model"] = "claude-sonnet-4-5",
            ["Ai:ThinkingBudgetTokens"] = "1024",
        }).Build();
        var services = new ServiceCollection();
        services.AddStreamingCodeGenerator(configuration.GetSection("Ai"));
        await using ServiceProvider provider = services.BuildServiceProvider();

        (string text, _) = await CollectAsync(provider.GetRequiredService<StreamingCodeGenerator>().GenerateAsync("x"));

        text.Should().Be("from config");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/v1/messages");
        request.Headers["x-api-key"].Should().Be(Key);
        request.Json.GetProperty("thinking").GetProperty("budget_tokens").GetInt32().Should().Be(1024);
    }
}
