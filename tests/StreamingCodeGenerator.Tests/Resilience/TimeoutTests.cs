using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Resilience;

/// <summary>First-chunk, idle and total timeouts on a fake clock.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TimeoutTests
{
    [Test]
    public async Task StallBeforeFirstChunk_TimesOutAndIsRetried()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.StallBeforeHeaders(), Respond.Answer("second"));
        var notifications = new List<RetryNotification>();
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries: 3);
        options.OnRetry = n =>
        {
            notifications.Add(n);
            return ValueTask.CompletedTask;
        };
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await TestWait.UntilAsync(() => server.RequestCount == 1, "the request reached the server");
        time.Advance(TimeSpan.FromSeconds(60));
        await server.ClientDisconnected(0).Soon();
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        time.Advance(TimeSpan.FromSeconds(1));
        (string text, _) = await run.Soon();

        text.Should().Be("second");
        stream.Stats.Attempts.Should().Be(2);
        notifications.Single().Reason.Should().BeOfType<StreamTimeoutException>().Which.Kind.Should().Be(StreamTimeoutKind.FirstChunk);
    }

    [Test]
    public async Task StallAfterHeadersWithOnlyRoleChunk_IsAFirstChunkTimeout()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse([SseEvents.Role()], Respond.Stall));
        StreamingCodeGeneratorOptions options = Options(server, time);
        options.FirstChunkTimeout = TimeSpan.FromSeconds(5);

        Task<(Exception?, string)> run = CollectFailureAsync(Create(options).GenerateAsync("x"));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(5)).Soon();
        time.Advance(TimeSpan.FromSeconds(5));
        (Exception? error, _) = await run.Soon();

        var timeout = error.Should().BeOfType<StreamTimeoutException>().Subject;
        timeout.Kind.Should().Be(StreamTimeoutKind.FirstChunk);
        timeout.Timeout.Should().Be(TimeSpan.FromSeconds(5));
        timeout.PartialText.Should().BeEmpty();
    }

    [Test]
    public async Task StallMidStream_IdleTimeoutEndsTheStreamWithPartialText_NoRetry()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse([SseEvents.Content("for i in "), SseEvents.Content("range(3):")], Respond.Stall));
        CodeGenerationStream stream = Create(Options(server, time, maxRetries: 3)).GenerateAsync("x");

        Task<(Exception?, string)> run = CollectFailureAsync(stream);
        await TestWait.UntilAsync(() => stream.Stats.CharacterCount == 18, "both chunks arrived");
        time.Advance(TimeSpan.FromSeconds(30));
        (Exception? error, string received) = await run.Soon();

        var timeout = error.Should().BeOfType<StreamTimeoutException>().Subject;
        timeout.Kind.Should().Be(StreamTimeoutKind.Idle);
        timeout.PartialText.Should().Be("for i in range(3):");
        received.Should().Be("for i in range(3):");
        stream.Stats.Attempts.Should().Be(1);
        await server.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task KeepAliveCommentsAndEmptyDeltas_DoNotResetTheIdleClock()
    {
        var time = new TimerAwareFakeTimeProvider();
        var sendPings = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse([SseEvents.Content("abc")], async context =>
        {
            await sendPings.Task;
            await context.Response.WriteAsync(": OPENROUTER PROCESSING\n\n: ping\n\n" + SseEvents.Content(string.Empty) + SseEvents.Role());
            await context.Response.Body.FlushAsync();
            await Respond.Stall(context);
        }));
        CodeGenerationStream stream = Create(Options(server, time)).GenerateAsync("x");

        Task<(Exception?, string)> run = CollectFailureAsync(stream);
        await TestWait.UntilAsync(() => stream.Stats.CharacterCount == 3, "the content arrived");
        time.Advance(TimeSpan.FromSeconds(20));
        sendPings.SetResult();
        await TestWait.UntilAsync(() => stream.Stats.ServerEventCount == 3, "the pings and empty deltas arrived");
        time.Advance(TimeSpan.FromSeconds(10));
        (Exception? error, _) = await run.Soon();

        error.Should().BeOfType<StreamTimeoutException>().Which.Kind.Should().Be(StreamTimeoutKind.Idle);
        stream.Stats.EmptyServerEventCount.Should().Be(2);
    }

    [Test]
    public async Task LongHealthyStream_IsNeverCutByFirstChunkOrIdleTimeouts()
    {
        var time = new TimerAwareFakeTimeProvider();
        var next = new SemaphoreSlim(0);
        await using var server = await OpenAITestServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            for (int i = 0; i < 10; i++)
            {
                await context.Response.WriteAsync(SseEvents.Content($"part{i} "));
                await context.Response.Body.FlushAsync();
                await next.WaitAsync(context.RequestAborted);
            }

            await context.Response.WriteAsync(SseEvents.Finish() + SseEvents.Done);
        });
        CodeGenerationStream stream = Create(Options(server, time)).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        for (int i = 0; i < 10; i++)
        {
            int expected = i + 1;
            await TestWait.UntilAsync(() => stream.Stats.ServerEventCount == expected, $"chunk {expected} arrived");
            time.Advance(TimeSpan.FromSeconds(25));
            next.Release();
        }

        (string text, _) = await run.Soon();

        text.Should().Be(string.Concat(Enumerable.Range(0, 10).Select(i => $"part{i} ")));
        stream.Stats.Elapsed.Should().Be(TimeSpan.FromSeconds(250), "the fake clock ran 250 s, far past the 60 s and 30 s limits");
        stream.Stats.TimeToFirstChunk.Should().Be(TimeSpan.Zero);
    }

    [Test]
    public async Task TotalTimeout_CoversRetriesAndBackoff()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(500, "boom"));
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries: 10);
        options.TotalTimeout = TimeSpan.FromSeconds(5);
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        Task<(Exception?, string)> run = CollectFailureAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        time.Advance(TimeSpan.FromSeconds(1));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(2)).Soon();
        time.Advance(TimeSpan.FromSeconds(2));
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(4)).Soon();
        time.Advance(TimeSpan.FromSeconds(2));
        (Exception? error, _) = await run.Soon();

        var timeout = error.Should().BeOfType<StreamTimeoutException>().Subject;
        timeout.Kind.Should().Be(StreamTimeoutKind.Total);
        timeout.Stats.Attempts.Should().Be(3);
        timeout.Stats.Elapsed.Should().Be(TimeSpan.FromSeconds(5));
        stream.Stats.Status.Should().Be(StreamStatus.Failed);
    }

    [Test]
    public async Task TotalTimeoutMidStream_KeepsPartialText()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse([SseEvents.Content("partial")], Respond.Stall));
        StreamingCodeGeneratorOptions options = Options(server, time);
        options.TotalTimeout = TimeSpan.FromSeconds(10);
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        Task<(Exception?, string)> run = CollectFailureAsync(stream);
        await TestWait.UntilAsync(() => stream.Stats.CharacterCount == 7, "the content arrived");
        time.Advance(TimeSpan.FromSeconds(10));
        (Exception? error, _) = await run.Soon();

        var timeout = error.Should().BeOfType<StreamTimeoutException>().Subject;
        timeout.Kind.Should().Be(StreamTimeoutKind.Total);
        timeout.PartialText.Should().Be("partial");
    }
}
