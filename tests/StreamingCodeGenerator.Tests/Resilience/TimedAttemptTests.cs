using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Resilience;

/// <summary>
/// One attempt of any source under the first-chunk and idle timers, on a fake clock: which updates count as
/// activity, the exact fake time a timeout fires, and that the caller's cancellation is never a timeout.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TimedAttemptTests
{
    private static readonly TimeSpan FirstChunk = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Test]
    public async Task MoveNextAsync_NothingWithinTheFirstChunkTimeout_ThrowsFirstChunkTimeout()
    {
        var time = new TimerAwareFakeTimeProvider();
        DateTimeOffset start = time.GetUtcNow();
        var source = new FakeChatSource(time, new FakeAttempt().Role().Hang());
        await using TimedAttempt attempt = Start(source, time);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> next = attempt.MoveNextAsync().AsTask();
        time.Advance(FirstChunk - Tick);
        next.IsCompleted.Should().BeFalse();
        time.Advance(Tick);

        StreamTimeoutException timeout = await ThrowsAsync<StreamTimeoutException>(next);
        timeout.Kind.Should().Be(StreamTimeoutKind.FirstChunk);
        timeout.Timeout.Should().Be(FirstChunk);
        timeout.InnerException.Should().BeAssignableTo<OperationCanceledException>();
        source.CancelledAt.Should().Be(start + FirstChunk);
        time.ArmedDueTimes.Should().Equal(FirstChunk);
    }

    [Test]
    public async Task MoveNextAsync_ActivityThenSilence_SwitchesToTheIdleTimer([Values] bool reasoning)
    {
        var time = new TimerAwareFakeTimeProvider();
        DateTimeOffset start = time.GetUtcNow();
        FakeAttempt script = reasoning ? new FakeAttempt().Reasoning("thinking") : new FakeAttempt().Text("def");
        var source = new FakeChatSource(time, script.Hang());
        await using TimedAttempt attempt = Start(source, time);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        time.ArmedDueTimes.Should().Equal(FirstChunk, Idle);
        Task<bool> next = attempt.MoveNextAsync().AsTask();
        time.Advance(Idle - Tick);
        next.IsCompleted.Should().BeFalse();
        time.Advance(Tick);

        StreamTimeoutException timeout = await ThrowsAsync<StreamTimeoutException>(next);
        timeout.Kind.Should().Be(StreamTimeoutKind.Idle);
        timeout.Timeout.Should().Be(Idle);
        source.CancelledAt.Should().Be(start + Idle);
    }

    [Test]
    public async Task MoveNextAsync_UsageAndMetadataBeforeTheFirstChunk_DoNotStopTheFirstChunkTimer()
    {
        var time = new TimerAwareFakeTimeProvider();
        DateTimeOffset start = time.GetUtcNow();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new FakeChatSource(time, new FakeAttempt().Role().WaitFor(gate.Task).Usage(5, 0).Update(new ChatUpdate { ContentFiltered = true }).Hang());
        await using TimedAttempt attempt = Start(source, time);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> next = attempt.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(6));
        gate.SetResult();
        (await next.Soon()).Should().BeTrue();
        attempt.Current.Usage.Should().NotBeNull();
        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> last = attempt.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(4) - Tick);
        last.IsCompleted.Should().BeFalse();
        time.Advance(Tick);

        (await ThrowsAsync<StreamTimeoutException>(last)).Kind.Should().Be(StreamTimeoutKind.FirstChunk);
        source.CancelledAt.Should().Be(start + FirstChunk, "the first-chunk timer counts from the start of the attempt");
        time.ArmedDueTimes.Should().Equal(FirstChunk);
    }

    [Test]
    public async Task MoveNextAsync_UsageAndMetadataAfterActivity_DoNotResetTheIdleTimer()
    {
        var time = new TimerAwareFakeTimeProvider();
        DateTimeOffset start = time.GetUtcNow();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new FakeChatSource(time, new FakeAttempt().Text("a").WaitFor(gate.Task).Usage(3, 1).Role().Finish().Hang());
        await using TimedAttempt attempt = Start(source, time);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> next = attempt.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        gate.SetResult();
        (await next.Soon()).Should().BeTrue();
        (await attempt.MoveNextAsync()).Should().BeTrue();
        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> last = attempt.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(1) - Tick);
        last.IsCompleted.Should().BeFalse();
        time.Advance(Tick);

        (await ThrowsAsync<StreamTimeoutException>(last)).Kind.Should().Be(StreamTimeoutKind.Idle);
        source.CancelledAt.Should().Be(start + Idle, "the idle timer counts from the last text, not from the usage, role or finish updates");
        time.ArmedDueTimes.Should().Equal(FirstChunk, Idle);
    }

    [Test]
    public async Task MoveNextAsync_ActivityWhileTheIdleTimerRuns_ReArmsLazilyForTheRestAndFiresAtTheExactTime([Values] bool reasoning)
    {
        var time = new TimerAwareFakeTimeProvider();
        DateTimeOffset start = time.GetUtcNow();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FakeAttempt script = new FakeAttempt().Text("a").WaitFor(gate.Task);
        script = reasoning ? script.Reasoning("b") : script.Text("b");
        var source = new FakeChatSource(time, script.Hang());
        await using TimedAttempt attempt = Start(source, time);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> next = attempt.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(2));
        gate.SetResult();
        (await next.Soon()).Should().BeTrue();
        time.ArmedDueTimes.Should().Equal([FirstChunk, Idle], "activity only notes the time; it does not touch the timer");

        Task<bool> last = attempt.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(1));
        time.ArmedDueTimes.Should().Equal([FirstChunk, Idle, TimeSpan.FromSeconds(2)], "at 3 s the stream was quiet for 1 s: the timer waits out the other 2 s");
        last.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(2) - Tick);
        last.IsCompleted.Should().BeFalse();
        time.Advance(Tick);

        (await ThrowsAsync<StreamTimeoutException>(last)).Kind.Should().Be(StreamTimeoutKind.Idle);
        source.CancelledAt.Should().Be(start + TimeSpan.FromSeconds(5), "3 s after the last activity at 2 s");
    }

    [Test]
    public async Task MoveNextAsync_ManyChunksWithoutTimePassing_ArmTheTimerOnlyTwice()
    {
        var time = new TimerAwareFakeTimeProvider();
        FakeAttempt script = new FakeAttempt().Role();
        for (int i = 0; i < 100; i++)
        {
            script = i % 2 == 0 ? script.Text("x") : script.Reasoning("y");
        }

        await using TimedAttempt attempt = Start(new FakeChatSource(time, script.Finish()), time);

        int updates = 0;
        while (await attempt.MoveNextAsync())
        {
            updates++;
        }

        updates.Should().Be(102);
        time.ArmedDueTimes.Should().Equal(FirstChunk, Idle);
    }

    [Test]
    public async Task MoveNextAsync_CallerCancelsBeforeTheTimeout_IsCancellationNotATimeout([Values] bool afterActivity)
    {
        var time = new TimerAwareFakeTimeProvider();
        using var caller = new CancellationTokenSource();
        FakeAttempt script = afterActivity ? new FakeAttempt().Text("a") : new FakeAttempt().Role();
        await using TimedAttempt attempt = Start(new FakeChatSource(time, script.Hang()), time, caller.Token);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> next = attempt.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromSeconds(1));
        await caller.CancelAsync();
        Exception thrown = await ThrowsAsync<Exception>(next);
        time.Advance(TimeSpan.FromMinutes(1));

        thrown.Should().BeAssignableTo<OperationCanceledException>();
    }

    [Test]
    public async Task MoveNextAsync_TimerFiredButTheSourceFailsOnlyAfterTheCallerCancelled_IsTheSourcesFailureNotATimeout()
    {
        var time = new TimerAwareFakeTimeProvider();
        using var caller = new CancellationTokenSource();
        var torn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new FakeChatSource(time, new FakeAttempt().Text("a").FailAfter(torn.Task, Cut));
        await using TimedAttempt attempt = Start(source, time, caller.Token);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> next = attempt.MoveNextAsync().AsTask();
        time.Advance(Idle);
        await caller.CancelAsync();
        torn.SetResult();

        (await ThrowsAsync<Exception>(next)).Should().BeOfType<StreamInterruptedException>("the caller's cancellation wins over the timer that fired");
    }

    [Test]
    public async Task MoveNextAsync_SourceFailsDifferentlyOnceTheTimerTearsItDown_IsStillATimeout()
    {
        var time = new TimerAwareFakeTimeProvider();
        var torn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new FakeChatSource(time, new FakeAttempt().Text("a").FailAfter(torn.Task, Cut));
        await using TimedAttempt attempt = Start(source, time);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> next = attempt.MoveNextAsync().AsTask();
        time.Advance(Idle);
        torn.SetResult();

        StreamTimeoutException timeout = await ThrowsAsync<StreamTimeoutException>(next);
        timeout.Kind.Should().Be(StreamTimeoutKind.Idle);
        timeout.InnerException.Should().BeOfType<StreamInterruptedException>();
    }

    [Test]
    public async Task MoveNextAsync_SourceFailsBeforeAnyTimeout_SurfacesTheSameException()
    {
        var time = new TimerAwareFakeTimeProvider();
        var failure = new ApiException(503, new ApiError("busy", null, null, null));
        await using TimedAttempt attempt = Start(new FakeChatSource(time, new FakeAttempt().Text("a").Throw(() => failure)), time);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        (await ThrowsAsync<ApiException>(attempt.MoveNextAsync().AsTask())).Should().BeSameAs(failure);
    }

    [Test]
    public async Task MoveNextAsync_EveryUpdate_ReachesTheSink()
    {
        var time = new TimerAwareFakeTimeProvider();
        StageGeneration context = StageContexts.Start(StageContexts.Core(new FakeChatSource(), StageContexts.Options(), time));
        var script = new FakeAttempt().Role().Reasoning("think").Text("ab").Update(new ChatUpdate { Refusal = "no" }).Usage(3, 4).Finish("length");
        await using var attempt = new TimedAttempt(new FakeChatSource(time, script), ChatAttempt.First(context.Request, includeUsage: true), context.Sink, context.Clock, FirstChunk, Idle, CancellationToken.None);

        var seen = new List<ChatUpdate>();
        while (await attempt.MoveNextAsync())
        {
            seen.Add(attempt.Current);
            context.Sink.Snapshot().ServerEventCount.Should().Be(seen.Count, "each update is reported as it is read");
        }

        StreamStats stats = context.Sink.Snapshot();
        seen.Should().HaveCount(6);
        stats.ServerEventCount.Should().Be(6);
        stats.EmptyServerEventCount.Should().Be(5);
        stats.ReasoningCharacterCount.Should().Be(5);
        stats.Refusal.Should().Be("no");
        stats.Usage!.TotalTokenCount.Should().Be(7);
        stats.RawFinishReason.Should().Be("length");
        stats.FinishReason.Should().Be(FinishReason.Length);
        stats.ModelId.Should().Be("fake-model");
        stats.ResponseId.Should().Be("chatcmpl-fake");
        stats.Attempts.Should().Be(1);
        stats.CharacterCount.Should().Be(0, "delivery is the generation's business, not the attempt's");
    }

    [Test]
    public async Task Constructor_TimeoutsNotEnforced_ArmsNoTimer([Values] bool infinite)
    {
        var time = new TimerAwareFakeTimeProvider();
        using var caller = new CancellationTokenSource();
        TimeSpan never = infinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromDays(60);
        var source = new FakeChatSource(time, new FakeAttempt().Role().Text("a").Hang());
        await using TimedAttempt attempt = Start(source, time, caller.Token, never, never);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        (await attempt.MoveNextAsync()).Should().BeTrue();
        Task<bool> next = attempt.MoveNextAsync().AsTask();
        time.Advance(TimeSpan.FromDays(400));

        next.IsCompleted.Should().BeFalse();
        time.ArmedDueTimes.Should().BeEmpty();
        await caller.CancelAsync();
        await ThrowsAsync<OperationCanceledException>(next);
    }

    [Test]
    public async Task Constructor_ContinuationOrNot_ReachesTheSourceAndCountsOneAttempt([Values] bool continuation)
    {
        var time = new TimerAwareFakeTimeProvider();
        StageGeneration context = StageContexts.Start(StageContexts.Core(new FakeChatSource(), StageContexts.Options(), time));
        var source = new FakeChatSource(time, new FakeAttempt().Finish());
        ChatAttempt chatAttempt = continuation
            ? ChatAttempt.Continuation(context.Request, "so far", includeUsage: true)
            : ChatAttempt.First(context.Request, includeUsage: true);

        await using var attempt = new TimedAttempt(source, chatAttempt, context.Sink, context.Clock, FirstChunk, Idle, CancellationToken.None);
        (await attempt.MoveNextAsync()).Should().BeTrue();

        source.Attempts.Single().ContinuationText.Should().Be(continuation ? "so far" : null);
        context.Sink.Snapshot().Attempts.Should().Be(1);
    }

    [Test]
    public async Task DisposeAsync_SuspendedAttempt_EndsTheSourceAndStopsTheTimer()
    {
        var time = new TimerAwareFakeTimeProvider();
        var source = new FakeChatSource(time, new FakeAttempt().Text("a").Text("b").Hang());
        TimedAttempt attempt = Start(source, time);

        (await attempt.MoveNextAsync()).Should().BeTrue();
        await attempt.DisposeAsync();
        time.Advance(TimeSpan.FromHours(1));

        source.FinishedAttempts.Should().Be(1);
        source.CancelledAt.Should().BeNull("the timer was disposed with the attempt");
    }

    [Test]
    public async Task DisposeAsync_TimerCallbackAlreadyInFlight_DoesNotThrow([Values] bool afterActivity)
    {
        var time = new LateTimerTimeProvider();
        FakeAttempt script = afterActivity ? new FakeAttempt().Text("a").Finish() : new FakeAttempt().Finish();
        TimedAttempt attempt = Start(new FakeChatSource(time, script), time);
        while (await attempt.MoveNextAsync())
        {
        }

        await attempt.DisposeAsync();
        time.Now += TimeSpan.FromMinutes(1);
        Action callbackThatStartedBeforeDispose = time.FireLastTimer;

        callbackThatStartedBeforeDispose.Should().NotThrow();
    }

    private static StreamInterruptedException Cut() =>
        new("The connection was lost.", StreamInterruptionReason.ConnectionLost, null, null);

    private static TimedAttempt Start(FakeChatSource source, TimeProvider time, CancellationToken runToken = default, TimeSpan? firstChunk = null, TimeSpan? idle = null)
    {
        StageGeneration context = StageContexts.Start(StageContexts.Core(source, StageContexts.Options(), time));
        return new TimedAttempt(source, ChatAttempt.First(context.Request, includeUsage: true), context.Sink, context.Clock, firstChunk ?? FirstChunk, idle ?? Idle, runToken);
    }

    private static async Task<T> ThrowsAsync<T>(Task task)
        where T : Exception
    {
        Func<Task> act = () => task.Soon();
        return (await act.Should().ThrowAsync<T>()).Which;
    }

    /// <summary>
    /// A clock whose timers keep their callback after <see cref="ITimer.Dispose"/>, as a real timer's callback that was
    /// already queued runs after Dispose returns.
    /// </summary>
    private sealed class LateTimerTimeProvider : TimeProvider
    {
        private readonly List<(TimerCallback Callback, object? State)> _timers = [];

        public TimeSpan Now { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Now.Ticks;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _timers.Add((callback, state));
            return new LateTimer();
        }

        public void FireLastTimer() => _timers[^1].Callback(_timers[^1].State);

        private sealed class LateTimer : ITimer
        {
            private bool _disposed;

            public bool Change(TimeSpan dueTime, TimeSpan period) => !_disposed;

            public void Dispose() => _disposed = true;

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
