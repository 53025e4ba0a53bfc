using System.ClientModel;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Resilience;

/// <summary>Retries with backoff, driven by a fake clock so every delay is checked exactly.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class RetryTests
{
    [Test]
    public async Task RateLimitWithRetryAfterSeconds_WaitsExactlyThatLongThenSucceeds()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Error(429, "Rate limit reached", "requests", "rate_limit_exceeded", headers: ("Retry-After", "2")),
            Respond.Answer("ok"));
        var notifications = new List<RetryNotification>();
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries: 3);
        options.OnRetry = n =>
        {
            notifications.Add(n);
            return ValueTask.CompletedTask;
        };
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(2)).Soon();
        stream.Stats.Status.Should().Be(StreamStatus.Retrying);
        time.Advance(TimeSpan.FromSeconds(2));
        (string text, _) = await run.Soon();

        text.Should().Be("ok");
        stream.Stats.Attempts.Should().Be(2);
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
        notifications.Should().ContainSingle();
        notifications[0].Attempt.Should().Be(1);
        notifications[0].Delay.Should().Be(TimeSpan.FromSeconds(2));
        notifications[0].Reason.Should().BeOfType<RateLimitException>().Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        notifications[0].IsContinuation.Should().BeFalse();
    }

    [Test]
    public Task RateLimitWithoutRetryAfter_UsesExponentialBackoff() =>
        ExpectOneRetryAfterAsync([], TimeSpan.FromSeconds(1));

    [Test]
    public Task RetryAfterMilliseconds_IsHonouredBeforeRetryAfter() =>
        ExpectOneRetryAfterAsync([("retry-after-ms", "1500"), ("Retry-After", "9")], TimeSpan.FromMilliseconds(1500));

    [Test]
    public Task RetryAfterHttpDate_IsHonoured() =>
        ExpectOneRetryAfterAsync([("Retry-After", "Thu, 01 Jan 2026 00:00:03 GMT")], TimeSpan.FromSeconds(3));

    [Test]
    public Task RetryAfterLongerThanMaxDelay_IsCappedAtMaxDelay() =>
        ExpectOneRetryAfterAsync([("Retry-After", "100")], TimeSpan.FromSeconds(30));

    /// <summary>A 429 with these headers, then success: the one retry waits exactly <paramref name="expectedDelay"/>.</summary>
    private static Task ExpectOneRetryAfterAsync((string Name, string Value)[] headers, TimeSpan expectedDelay) =>
        ExpectOneRetryAsync(Respond.Error(429, "slow down", headers: headers), expectedDelay);

    /// <summary>A failing response, then success: exactly one retry, after exactly <paramref name="expectedDelay"/>.</summary>
    private static async Task ExpectOneRetryAsync(Func<Microsoft.AspNetCore.Http.HttpContext, Task> failure, TimeSpan expectedDelay)
    {
        // Starts where the HTTP-date Retry-After cases count from: 2026-01-01 00:00 UTC.
        var time = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await using var server = await OpenAITestServer.StartAsync(failure, Respond.Answer("ok"));
        CodeGenerationStream stream = Create(Options(server, time, maxRetries: 3)).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await time.WaitForTimerAsync(expectedDelay).Soon();
        time.Advance(expectedDelay);

        (await run.Soon()).Item1.Should().Be("ok");
        stream.Stats.Attempts.Should().Be(2);
    }

    [Test]
    public async Task RetryAfterLongerThanRemainingTotalTime_FailsAtOnceWithRateLimit()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(429, "slow down", headers: ("Retry-After", "20")), Respond.Answer("ok"));
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries: 3);
        options.TotalTimeout = TimeSpan.FromSeconds(10);

        (Exception? error, _) = await CollectFailureAsync(Create(options).GenerateAsync("x")).Soon();

        error.Should().BeOfType<RateLimitException>().Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(20));
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task ServerErrorTwiceThenSuccess_ThreeAttemptsWithDoublingDelays()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Error(500, "boom", "server_error"),
            Respond.Status(503, "Service Unavailable", "text/plain"),
            Respond.Answer("fine"));
        var logger = new ListLogger();
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries: 3);
        CodeGenerationStream stream = Create(options, logger).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        time.Advance(TimeSpan.FromSeconds(1));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(2)).Soon();
        time.Advance(TimeSpan.FromSeconds(2));
        (string text, _) = await run.Soon();

        text.Should().Be("fine");
        stream.Stats.Attempts.Should().Be(3);
        server.RequestCount.Should().Be(3);
        logger.Entries.Where(e => e.Level == LogLevel.Warning).Select(e => e.Message)
            .Should().HaveCount(2).And.AllSatisfy(m => m.Should().Contain("retrying in"));
        logger.Entries.Should().NotContain(e => e.Message.Contains("SECRET"));
    }

    [Test]
    public Task HtmlBadGatewayFromProxy_IsRetried() =>
        ExpectOneRetryAsync(Respond.Status(502, "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "text/html"), TimeSpan.FromSeconds(1));

    [Test]
    public Task ConnectionResetBeforeTheResponse_IsRetried() => ExpectOneRetryAsync(Respond.Cut, TimeSpan.FromSeconds(1));

    [Test]
    public void Backoff_IsPollysExponentialWithJitter_FromTheBaseDelay_CappedAtTheMaxDelay()
    {
        var options = new StreamingCodeGeneratorOptions { MaxRetries = 5, RetryBaseDelay = TimeSpan.FromSeconds(2), RetryMaxDelay = TimeSpan.FromSeconds(20) };

        Polly.Retry.RetryStrategyOptions<AttemptEnd> strategy = RetryPipelineFactory.CreateOptions(options, jitter: true);

        strategy.MaxRetryAttempts.Should().Be(5, "retries and continuations share one budget");
        strategy.BackoffType.Should().Be(Polly.DelayBackoffType.Exponential);
        strategy.UseJitter.Should().BeTrue();
        strategy.Delay.Should().Be(TimeSpan.FromSeconds(2));
        strategy.MaxDelay.Should().Be(TimeSpan.FromSeconds(20));
    }

    [Test]
    public async Task Backoff_WithoutJitter_DoublesUntilTheMaxDelay()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(503, "busy"));
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries: 4);
        options.RetryMaxDelay = TimeSpan.FromSeconds(5);
        var delays = new List<TimeSpan>();
        options.OnRetry = n =>
        {
            delays.Add(n.Delay);
            return ValueTask.CompletedTask;
        };

        Task<(Exception?, string)> run = CollectFailureAsync(Create(options).GenerateAsync("x"));
        foreach (int seconds in new[] { 1, 2, 4, 5 })
        {
            await time.WaitForTimerAsync(TimeSpan.FromSeconds(seconds)).Soon();
            time.Advance(TimeSpan.FromSeconds(seconds));
        }

        (Exception? error, _) = await run.Soon();

        error.Should().BeOfType<ApiException>().Which.StatusCode.Should().Be(503);
        delays.Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));
    }

    [TestCase(400)]
    [TestCase(404)]
    [TestCase(422)]
    [TestCase(401)]
    [TestCase(403)]
    public async Task ClientErrors_AreNeverRetried(int status)
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(status, "no", "invalid_request_error"), Respond.Answer("unreachable"));
        CodeGenerationStream stream = Create(Options(server, new TimerAwareFakeTimeProvider(), maxRetries: 3)).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream).Soon();

        error.Should().BeAssignableTo<ApiException>().Which.StatusCode.Should().Be(status);
        stream.Stats.Attempts.Should().Be(1);
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task InsufficientQuota_IsNotRetried()
    {
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Error(429, "You exceeded your current quota", "insufficient_quota", "insufficient_quota"),
            Respond.Answer("unreachable"));
        CodeGenerationStream stream = Create(Options(server, new TimerAwareFakeTimeProvider(), maxRetries: 3)).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream).Soon();

        error.Should().BeOfType<RateLimitException>().Which.IsQuotaExhausted.Should().BeTrue();
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task RetriesExhausted_ThrowsTheLastFailure()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(502, "bad gateway"));
        CodeGenerationStream stream = Create(Options(server, time, maxRetries: 1)).GenerateAsync("x");

        Task<(Exception?, string)> run = CollectFailureAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        time.Advance(TimeSpan.FromSeconds(1));
        (Exception? error, _) = await run.Soon();

        error.Should().BeOfType<ApiException>().Which.StatusCode.Should().Be(502);
        ((ApiException)error!).Stats.Attempts.Should().Be(2);
        stream.Stats.Status.Should().Be(StreamStatus.Failed);
    }

    [Test]
    public async Task StreamFailingBeforeItsFirstContent_IsRetried()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Sse([SseEvents.Role()], Respond.Cut),
            Respond.Sse(SseEvents.Role(), SseEvents.ErrorEvent("overloaded")),
            Respond.Answer("second", " try"));
        CodeGenerationStream stream = Create(Options(server, time, maxRetries: 3)).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        time.Advance(TimeSpan.FromSeconds(1));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(2)).Soon();
        time.Advance(TimeSpan.FromSeconds(2));
        (string text, _) = await run.Soon();

        text.Should().Be("second try");
        stream.Stats.Attempts.Should().Be(3);
    }

    [Test]
    public async Task CutAfterFirstChunks_IsNotRetriedByDefault_PartialIsExact()
    {
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Sse([SseEvents.Content("line 1\n"), SseEvents.Content("line 2\n"), SseEvents.Content("li")], Respond.CutWhen(() => stream!.Stats.CharacterCount == 16)),
            Respond.Answer("unreachable"));
        stream = Create(Options(server, new TimerAwareFakeTimeProvider(), maxRetries: 3)).GenerateAsync("x");

        (Exception? error, string received) = await CollectFailureAsync(stream).Soon();

        error.Should().BeOfType<StreamInterruptedException>().Which.PartialText.Should().Be("line 1\nline 2\nli");
        received.Should().Be("line 1\nline 2\nli");
        stream.Stats.Attempts.Should().Be(1);
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task CallerSuppliedChatClient_ItsOwnRetriesAreSwitchedOff()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(500, "boom"));
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential(ApiKey), new OpenAIClientOptions { Endpoint = server.Endpoint });
        var generator = new StreamingCodeGenerator(client, new StreamingCodeGeneratorOptions { Model = "gpt-4o-mini", MaxRetries = 0 });

        (Exception? error, _) = await CollectFailureAsync(generator.GenerateAsync("x")).Soon();

        error.Should().BeOfType<ApiException>().Which.StatusCode.Should().Be(500);
        server.RequestCount.Should().Be(1, "the SDK's default policy would have sent 4 requests");
    }

    [Test]
    public async Task CallerSuppliedChatClient_StreamsNormally()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("via ", "caller client"));
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential(ApiKey), new OpenAIClientOptions { Endpoint = server.Endpoint });
        var generator = new StreamingCodeGenerator(client, new StreamingCodeGeneratorOptions { Model = "gpt-4o-mini" });

        (string text, _) = await CollectAsync(generator.GenerateAsync("x")).Soon();

        text.Should().Be("via caller client");
        server.Requests.Single().Headers["Authorization"].Should().Be("Bearer " + ApiKey);
    }
}
