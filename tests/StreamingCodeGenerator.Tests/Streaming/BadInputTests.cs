using Microsoft.Extensions.Options;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Streaming;

/// <summary>Bad options, requests and endpoints are refused up front (or explained) with messages that name the member and say what to do.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class BadInputTests
{
    [TestCase("sk-abc\r\nX-Evil: 1")]
    [TestCase("sk-abc\ndef")]
    [TestCase("sk-abc\0def")]
    public void ApiKeyWithControlCharacters_IsRefused_WithoutEchoingIt(string key)
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1"), ApiKey = key };

        Action create = () => _ = new StreamingCodeGenerator(options);

        var failure = create.Should().Throw<OptionsValidationException>().Subject.Single();
        failure.Message.Should().Contain("ApiKey").And.Contain("control character").And.NotContain("sk-abc");
    }

    [Test]
    public async Task ApiKeyWithSurroundingWhiteSpace_IsTrimmed()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        StreamingCodeGeneratorOptions options = Options(server);
        options.ApiKey = "  " + ApiKey + "\n";

        await CollectAsync(Create(options).GenerateAsync("x"));

        server.Requests.Single().Headers["Authorization"].Should().Be("Bearer " + ApiKey);
    }

    [Test]
    public void RelativeEndpoint_IsAValidationFailureNamingEndpoint()
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("v1/chat", UriKind.Relative), ApiKey = "k" };

        Action create = () => _ = new StreamingCodeGenerator(options);

        create.Should().Throw<OptionsValidationException>().Which.Failures.Should().ContainSingle(f => f.Contains("Endpoint") && f.Contains("absolute"));
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void NotANumberTemperature_IsRefusedInOptionsAndRequests(float temperature)
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1"), Temperature = temperature };
        Action create = () => _ = new StreamingCodeGenerator(options);
        create.Should().Throw<OptionsValidationException>().WithMessage("*Temperature*");

        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1") });
        generator.Invoking(g => g.GenerateAsync(new CodeGenerationRequest("x") { Temperature = temperature }))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Temperature*");
    }

    [Test]
    public void MessagesNull_IsAnArgumentExceptionNamingMessages()
    {
        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1") });

        generator.Invoking(g => g.GenerateAsync(new CodeGenerationRequest("x") { Messages = null! }))
            .Should().Throw<ArgumentException>().WithMessage("*Messages*");
    }

    [TestCase("")]
    [TestCase("  ")]
    public void EmptyRequestModel_IsAnArgumentExceptionNamingModel(string model)
    {
        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1") });

        generator.Invoking(g => g.GenerateAsync(new CodeGenerationRequest("x") { Model = model }))
            .Should().Throw<ArgumentException>().WithMessage("*Model*");
    }

    [TestCase(null)]
    [TestCase("")]
    public void StopSequenceNullOrEmpty_IsAnArgumentExceptionNamingStopSequences(string? stop)
    {
        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1") });

        generator.Invoking(g => g.GenerateAsync(new CodeGenerationRequest("x") { StopSequences = ["END", stop!] }))
            .Should().Throw<ArgumentException>().WithMessage("*StopSequences*");
        generator.Invoking(g => g.GenerateAsync(new CodeGenerationRequest("x") { StopSequences = null! }))
            .Should().Throw<ArgumentException>().WithMessage("*StopSequences*");
    }

    [Test]
    public async Task OutputLimitBeyondTheContextWindow_SaysSo_AndSendsNothing()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        StreamingCodeGeneratorOptions options = Options(server);
        options.Model = "gpt-4o";
        options.MaxOutputTokens = 200_000;

        (Exception? error, _) = await CollectFailureAsync(Create(options).GenerateAsync("x"));

        var exceeded = error.Should().BeOfType<ContextLengthExceededException>().Subject;
        exceeded.Message.Should().Contain("requested output alone").And.Contain("128000").And.NotMatchRegex(" -[0-9]");
        exceeded.MaxPromptTokens.Should().Be(0, "no prompt fits; the limit is never the negative difference");
        exceeded.ContextWindow.Should().Be(128_000);
        exceeded.MaxOutputTokens.Should().Be(200_000);
        exceeded.PromptTokens.Should().BePositive();
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task PromptPlusOutputLimitBeyondTheContextWindow_GivesEveryNumber()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        StreamingCodeGeneratorOptions options = Options(server);
        options.Model = "gpt-4-0613";
        var request = new CodeGenerationRequest(string.Join(' ', Enumerable.Repeat("token", 3000))) { MaxOutputTokens = 6000 };

        (Exception? error, _) = await CollectFailureAsync(Create(options).GenerateAsync(request));

        var exceeded = error.Should().BeOfType<ContextLengthExceededException>().Subject;
        exceeded.ContextWindow.Should().Be(8192);
        exceeded.MaxOutputTokens.Should().Be(6000);
        exceeded.MaxPromptTokens.Should().Be(2192);
        exceeded.PromptTokens.Should().BeGreaterThan(3000);
        exceeded.Message.Should().Contain("less MaxOutputTokens 6000");
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task HttpError_NamesTheMethodAndUrl_WithoutQuerySecrets()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(404, "no such model"));
        StreamingCodeGeneratorOptions options = Options(server);

        (Exception? error, _) = await CollectFailureAsync(Create(options).GenerateAsync("x"));

        error.Should().BeOfType<ApiException>().Which.Message.Should().StartWith($"POST {server.Endpoint}chat/completions returned HTTP 404");
    }

    [Test]
    public void RequestDescription_KeepsApiVersion_AndMasksOtherQueryValuesAndUserInfo()
    {
        string described = ApiError.DescribeRequest("POST", new Uri("https://user:pw@res.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&key=abc123"));

        described.Should().Be("POST https://res.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21&key=***");
    }

    [Test]
    public async Task Redirect_NamesItsLocation_AndIsNotFollowed()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Status(308, string.Empty, "text/plain", ("Location", "https://api.example.com/v1/chat/completions")));

        (Exception? error, _) = await CollectFailureAsync(Create(Options(server, maxRetries: 2)).GenerateAsync("x"));

        var api = error.Should().BeOfType<ApiException>().Subject;
        api.StatusCode.Should().Be(308);
        api.Message.Should().Contain("redirected to https://api.example.com/v1/chat/completions").And.Contain("Endpoint");
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task EndpointWithoutV1_GetsAHint_On404()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Status(404, "Not Found", "text/plain"));
        StreamingCodeGeneratorOptions options = Options(server);
        options.Endpoint = new Uri($"http://127.0.0.1:{server.Endpoint.Port}/");

        (Exception? error, _) = await CollectFailureAsync(Create(options).GenerateAsync("x"));

        error.Should().BeOfType<ApiException>().Which.Message.Should().Contain("no /v1 segment").And.Contain($"http://127.0.0.1:{server.Endpoint.Port}/v1");
    }

    [Test]
    public async Task HugeRetryAfter_IsClamped_NotAnOverflow()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(429, "slow down", headers: ("Retry-After", "99999999999999")));

        (Exception? error, _) = await CollectFailureAsync(Create(Options(server, maxRetries: 3)).GenerateAsync("x"));

        error.Should().BeOfType<RateLimitException>().Which.RetryAfter.Should().BeGreaterThan(TimeSpan.FromDays(300));
        server.RequestCount.Should().Be(1, "waiting that long would outlive the total timeout");
    }

    [Test]
    public async Task HugeRetryAfterMs_IsClamped_NotAnOverflow()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(429, "slow down", headers: ("retry-after-ms", "1e300")));

        (Exception? error, _) = await CollectFailureAsync(Create(Options(server, maxRetries: 3)).GenerateAsync("x"));

        error.Should().BeOfType<RateLimitException>();
    }

    public static IEnumerable<TimeSpan> HugeTimeouts() => [TimeSpan.MaxValue, TimeSpan.FromDays(60)];

    [TestCaseSource(nameof(HugeTimeouts))]
    public async Task TimeoutsBeyondTheTimerLimit_MeanNoTimeout(TimeSpan timeout)
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("fine"));
        StreamingCodeGeneratorOptions options = Options(server);
        options.FirstChunkTimeout = timeout;
        options.IdleTimeout = timeout;
        options.TotalTimeout = timeout;

        (string text, _) = await CollectAsync(Create(options).GenerateAsync("x"));

        text.Should().Be("fine");
    }

    [Test]
    public void HugeRetryDelay_IsRefusedAtConstruction()
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:9/v1"), RetryMaxDelay = TimeSpan.MaxValue };

        Action create = () => _ = new StreamingCodeGenerator(options);

        create.Should().Throw<OptionsValidationException>().WithMessage("*RetryMaxDelay*");
    }

    [Test]
    public async Task Continuation_WaitsTheRetryBackoff()
    {
        var time = new TimerAwareFakeTimeProvider();
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Sse([SseEvents.Content("first half, ")], Respond.CutWhen(() => stream!.Stats.CharacterCount > 0)),
            Respond.Answer("second half"));
        var notifications = new List<RetryNotification>();
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries: 2);
        options.MidStreamRecovery = MidStreamRecovery.Continue;
        options.OnRetry = n =>
        {
            notifications.Add(n);
            return ValueTask.CompletedTask;
        };
        stream = Create(options).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        server.RequestCount.Should().Be(1, "the continuation waits its backoff first");
        stream.Stats.Status.Should().Be(StreamStatus.Retrying);
        time.Advance(TimeSpan.FromSeconds(1));
        (string text, _) = await run.Soon();

        text.Should().Be("first half, second half");
        notifications.Single().Delay.Should().Be(TimeSpan.FromSeconds(1));
        notifications.Single().Reason.PartialText.Should().Be("first half, ", "a failure carries its context when OnRetry sees it");
    }

    [Test]
    public async Task OpenAIBaseUrl_IsUsedWhenNoEndpointIsSet_AndOpenAIApiKeyWithIt()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("from env"));
        var environment = new Dictionary<string, string?> { ["OPENAI_BASE_URL"] = server.Endpoint.ToString(), ["OPENAI_API_KEY"] = " sk-from-env \n" };
        var generator = StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(null, null), new StreamingCodeGeneratorOptions(), new GeneratorServices(Environment: name => environment.GetValueOrDefault(name)));

        (string text, _) = await CollectAsync(generator.GenerateAsync("x"));

        text.Should().Be("from env");
        server.Requests.Single().Headers["Authorization"].Should().Be("Bearer sk-from-env");
        generator.Options.Endpoint.Should().Be(server.Endpoint);
    }

    [Test]
    public async Task OpenAIApiKey_IsNotSentToAnEndpointTheCallerNamed()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("local"));
        var environment = new Dictionary<string, string?> { ["OPENAI_API_KEY"] = "sk-should-not-travel" };
        var generator = StreamingCodeGenerator.Create(GeneratorConnection.Endpoint(null, null), new StreamingCodeGeneratorOptions { Endpoint = server.Endpoint }, new GeneratorServices(Environment: name => environment.GetValueOrDefault(name)));

        await CollectAsync(generator.GenerateAsync("x"));

        server.Requests.Single().Headers.Should().NotContainKey("Authorization");
    }
}
