using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Resilience;

/// <summary>
/// The resilient source over a scripted fake source, on a fake clock (backoff without jitter, so delays are exact):
/// retries before the first content, never after; continuation sends the answer so far, waits its backoff and drops
/// the repeat; retries and continuations share one backoff sequence; it yields only content.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ResilientChatSourceTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    [Test]
    public async Task StreamAsync_TransientFailureBeforeFirstContent_IsRetriedAfterTheComputedBackoff()
    {
        var time = new TimerAwareFakeTimeProvider();
        var source = new FakeChatSource(time,
            new FakeAttempt().Role().Throw(() => new ApiException(503, new ApiError("Service unavailable", null, null, null))),
            new FakeAttempt().Text("ok").Finish());
        var notifications = new List<(RetryNotification Notification, StreamStatus StatusThen)>();
        Harness harness = Harness.Create(source, time, options => options.OnRetry = n =>
        {
            notifications.Add((n, n.Reason.Stats.Status));
            return ValueTask.CompletedTask;
        });
        TimeSpan delay = TimeSpan.FromSeconds(1);

        Task<Run> run = harness.RunAsync();
        await time.WaitForTimerAsync(delay).Soon();
        time.Advance(delay - Tick);
        source.Attempts.Should().HaveCount(1, "the backoff has not passed yet");
        time.Advance(Tick);
        Run result = await run.Soon();

        result.Error.Should().BeNull();
        result.Texts.Should().Equal("ok");
        source.Attempts.Should().HaveCount(2);
        source.Attempts.Should().OnlyContain(a => !a.IsContinuation);
        RetryNotification notification = notifications.Single().Notification;
        notification.Attempt.Should().Be(1);
        notification.Delay.Should().Be(delay);
        notification.IsContinuation.Should().BeFalse();
        notification.Reason.Should().BeOfType<ApiException>().Which.StatusCode.Should().Be(503);
        notification.Reason.PartialText.Should().BeEmpty();
        notifications.Single().StatusThen.Should().Be(StreamStatus.Retrying, "the failure carries the stats from when the retry was decided");
    }

    [Test]
    public async Task StreamAsync_RetriesExhausted_ThrowsTheLastFailureAfterDoublingBackoffs()
    {
        var time = new TimerAwareFakeTimeProvider();
        int failures = 0;
        FakeAttempt Failing() => new FakeAttempt().Throw(() => new ApiException(502, new ApiError("bad gateway " + ++failures, null, null, null)));
        var source = new FakeChatSource(time, Failing(), Failing(), Failing(), Failing());
        var delays = new List<TimeSpan>();
        Harness harness = Harness.Create(source, time, options => options.OnRetry = n =>
        {
            delays.Add(n.Delay);
            return ValueTask.CompletedTask;
        });

        Task<Run> run = harness.RunAsync();
        foreach (int ms in new[] { 1000, 2000, 4000 })
        {
            await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(ms)).Soon();
            time.Advance(TimeSpan.FromMilliseconds(ms));
        }

        Run result = await run.Soon();

        result.Error.Should().BeOfType<ApiException>().Which.ServerMessage.Should().Be("bad gateway 4");
        source.Attempts.Should().HaveCount(4, "the first attempt and MaxRetries = 3 retries");
        delays.Should().Equal(TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(2000), TimeSpan.FromMilliseconds(4000));
    }

    [Test]
    public async Task StreamAsync_FirstChunkTimeout_IsRetried()
    {
        var time = new TimerAwareFakeTimeProvider();
        var source = new FakeChatSource(time, new FakeAttempt().Role().Hang(), new FakeAttempt().Text("second").Finish());
        var reasons = new List<CodeGenerationException>();
        Harness harness = Harness.Create(source, time, options => options.OnRetry = n =>
        {
            reasons.Add(n.Reason);
            return ValueTask.CompletedTask;
        });

        Task<Run> run = harness.RunAsync();
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(10)).Soon();
        time.Advance(TimeSpan.FromSeconds(10));
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(1000)).Soon();
        time.Advance(TimeSpan.FromMilliseconds(1000));
        Run result = await run.Soon();

        result.Texts.Should().Equal("second");
        reasons.Single().Should().BeOfType<StreamTimeoutException>().Which.Kind.Should().Be(StreamTimeoutKind.FirstChunk);
    }

    [Test]
    public async Task StreamAsync_ApiFailureAfterContentWasYielded_IsNeverRetried([Values] MidStreamRecovery recovery)
    {
        var time = new TimerAwareFakeTimeProvider();
        var script = new FakeAttempt().Text("partial").Throw(() => new ApiException(503, new ApiError("busy", null, null, null)));
        (Run result, FakeChatSource source, int retries) = await RunAfterContentFailureAsync(time, script, recovery);

        result.Texts.Should().Equal("partial");
        result.Error.Should().BeOfType<ApiException>();
        source.Attempts.Should().HaveCount(1);
        retries.Should().Be(0);
        time.ArmedDueTimes.Should().Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)], "the first-chunk and idle timers, and no backoff");
    }

    [Test]
    public async Task StreamAsync_InterruptionAfterContentWithoutContinue_IsNotRetried()
    {
        var time = new TimerAwareFakeTimeProvider();
        (Run result, FakeChatSource source, int retries) = await RunAfterContentFailureAsync(time, new FakeAttempt().Text("partial").Cut(), MidStreamRecovery.None);

        result.Texts.Should().Equal("partial");
        result.Error.Should().BeOfType<StreamInterruptedException>();
        source.Attempts.Should().HaveCount(1);
        retries.Should().Be(0);
        time.ArmedDueTimes.Should().Equal(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task StreamAsync_InterruptedWithContinue_SendsTheAnswerSoFarWaitsTheBackoffAndDropsTheRepeat([Values] bool repeatSplit)
    {
        var time = new TimerAwareFakeTimeProvider();
        FakeAttempt continuation = repeatSplit
            ? new FakeAttempt().Role().Text("    ret").Text("urn a + b\n").Finish()
            : new FakeAttempt().Role().Text("    return a + b\n").Finish();
        var source = new FakeChatSource(time, new FakeAttempt().Text("def add(a, b):\n").Text("    return a").Cut(), continuation);
        var notifications = new List<RetryNotification>();
        Harness harness = Harness.Create(source, time, options =>
        {
            options.MidStreamRecovery = MidStreamRecovery.Continue;
            options.OnRetry = n =>
            {
                notifications.Add(n);
                return ValueTask.CompletedTask;
            };
        });

        Task<Run> run = harness.RunAsync();
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(1000)).Soon();
        time.Advance(TimeSpan.FromMilliseconds(1000) - Tick);
        source.Attempts.Should().HaveCount(1, "the continuation waits the retry backoff first");
        time.Advance(Tick);
        Run result = await run.Soon();

        result.Error.Should().BeNull();
        string.Concat(result.Texts).Should().Be("def add(a, b):\n    return a + b\n");
        result.Texts[^1].Should().Be(" + b\n", "the restarted line is dropped");
        source.Attempts[0].ContinuationText.Should().BeNull();
        source.Attempts[1].IsContinuation.Should().BeTrue();
        source.Attempts[1].ContinuationText.Should().Be("def add(a, b):\n    return a");
        RetryNotification notification = notifications.Single();
        notification.IsContinuation.Should().BeTrue();
        notification.Delay.Should().Be(TimeSpan.FromMilliseconds(1000));
        notification.Reason.Should().BeOfType<StreamInterruptedException>().Which.PartialText.Should().Be("def add(a, b):\n    return a");
        harness.Sink.Snapshot().Attempts.Should().Be(2);
    }

    [Test]
    public async Task StreamAsync_ContinuationBreaksToo_ContinuesAgainAfterTheNextBackoff()
    {
        var time = new TimerAwareFakeTimeProvider();
        var source = new FakeChatSource(time,
            new FakeAttempt().Text("line 1\n").Cut(),
            new FakeAttempt().Text("line 2\n").Cut(),
            new FakeAttempt().Text("line 3\n").Finish());
        Harness harness = Harness.Create(source, time, options => options.MidStreamRecovery = MidStreamRecovery.Continue);

        Task<Run> run = harness.RunAsync();
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(1000)).Soon();
        time.Advance(TimeSpan.FromMilliseconds(1000));
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(2000)).Soon();
        time.Advance(TimeSpan.FromMilliseconds(2000));
        Run result = await run.Soon();

        string.Concat(result.Texts).Should().Be("line 1\nline 2\nline 3\n");
        source.Attempts.Select(a => a.ContinuationText).Should().Equal(null, "line 1\n", "line 1\nline 2\n");
    }

    [Test]
    public async Task StreamAsync_ContinuationsExhausted_ThrowsTheInterruption()
    {
        var time = new TimerAwareFakeTimeProvider();
        var source = new FakeChatSource(time, new FakeAttempt().Text("a\n").Cut(), new FakeAttempt().Text("b\n").Cut());
        Harness harness = Harness.Create(source, time, options =>
        {
            options.MaxRetries = 1;
            options.MidStreamRecovery = MidStreamRecovery.Continue;
        });

        Task<Run> run = harness.RunAsync();
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(1000)).Soon();
        time.Advance(TimeSpan.FromMilliseconds(1000));
        Run result = await run.Soon();

        result.Error.Should().BeOfType<StreamInterruptedException>();
        string.Concat(result.Texts).Should().Be("a\nb\n");
        source.Attempts.Should().HaveCount(2);
    }

    [Test]
    public async Task StreamAsync_ContinuationAttemptFailsBeforeItsFirstContent_RetryIsReportedAsAContinuationWithTheDeliveredText()
    {
        var time = new TimerAwareFakeTimeProvider();
        var source = new FakeChatSource(time,
            new FakeAttempt().Text("abc\n").Cut(),
            new FakeAttempt().Throw(() => new ApiException(503, new ApiError("busy", null, null, null))),
            new FakeAttempt().Text("def\n").Finish());
        var notifications = new List<(bool IsContinuation, string PartialText)>();
        Harness harness = Harness.Create(source, time, options =>
        {
            options.MidStreamRecovery = MidStreamRecovery.Continue;
            options.OnRetry = n =>
            {
                notifications.Add((n.IsContinuation, n.Reason.PartialText));
                return ValueTask.CompletedTask;
            };
        });

        Task<Run> run = harness.RunAsync();
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(1000)).Soon();
        time.Advance(TimeSpan.FromMilliseconds(1000));
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(2000)).Soon();
        time.Advance(TimeSpan.FromMilliseconds(2000));
        Run result = await run.Soon();

        string.Concat(result.Texts).Should().Be("abc\ndef\n");
        source.Attempts[2].ContinuationText.Should().Be("abc\n");
        notifications.Should().Equal((true, "abc\n"), (true, "abc\n"));
    }

    [Test]
    public async Task StreamAsync_RetryAfterLongerThanTheTimeLeft_FailsAtOnce()
    {
        var time = new TimerAwareFakeTimeProvider();
        var source = new FakeChatSource(time, new FakeAttempt().Throw(() => RateLimit(TimeSpan.FromSeconds(4))), new FakeAttempt().Text("never").Finish());
        Harness harness = Harness.Create(source, time, options => options.TotalTimeout = TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(8));

        Run result = await harness.RunAsync().Soon();

        harness.Clock.RemainingTime.Should().Be(TimeSpan.FromSeconds(2));
        result.Error.Should().BeOfType<RateLimitException>().Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(4));
        source.Attempts.Should().HaveCount(1);
        time.ArmedDueTimes.Should().Equal([TimeSpan.FromSeconds(10)], "only the first-chunk timer: no backoff was started");
    }

    [Test]
    public async Task StreamAsync_RetryAfterWithinTheTimeLeft_WaitsExactlyThatLong()
    {
        var time = new TimerAwareFakeTimeProvider();
        var source = new FakeChatSource(time, new FakeAttempt().Throw(() => RateLimit(TimeSpan.FromSeconds(4))), new FakeAttempt().Text("ok").Finish());
        Harness harness = Harness.Create(source, time, options => options.TotalTimeout = TimeSpan.FromSeconds(10));

        Task<Run> run = harness.RunAsync();
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(4)).Soon();
        time.Advance(TimeSpan.FromSeconds(4));
        Run result = await run.Soon();

        result.Texts.Should().Equal("ok");
    }

    [TestCase("bad-request")]
    [TestCase("unauthorized")]
    [TestCase("quota")]
    [TestCase("malformed")]
    [TestCase("client-error-event")]
    public async Task StreamAsync_PermanentFailure_IsNotRetried(string kind)
    {
        var time = new TimerAwareFakeTimeProvider();
        Func<Exception> failure = kind switch
        {
            "bad-request" => () => new ApiException(400, new ApiError("bad", "invalid_request_error", null, null)),
            "unauthorized" => () => new AuthenticationFailedException(401, new ApiError("no", null, "invalid_api_key", null)),
            "quota" => () => new RateLimitException(429, new ApiError("quota", "insufficient_quota", "insufficient_quota", null), null),
            "malformed" => () => new MalformedResponseException("not json", "x", null),
            _ => () => new StreamInterruptedException("bad", StreamInterruptionReason.ServerError, new ApiError("bad", "invalid_request_error", "400", null), null),
        };
        var source = new FakeChatSource(time, new FakeAttempt().Role().Throw(failure), new FakeAttempt().Text("never").Finish());
        Harness harness = Harness.Create(source, time);

        Run result = await harness.RunAsync().Soon();

        result.Error.Should().BeAssignableTo<CodeGenerationException>();
        source.Attempts.Should().HaveCount(1);
    }

    [Test]
    public async Task StreamAsync_CallerCancelsDuringTheBackoff_ThrowsCancellationAndSendsNothingMore()
    {
        var time = new TimerAwareFakeTimeProvider();
        using var caller = new CancellationTokenSource();
        var source = new FakeChatSource(time, new FakeAttempt().Throw(() => new ApiException(503, new ApiError("busy", null, null, null))), new FakeAttempt().Text("never").Finish());
        Harness harness = Harness.Create(source, time);

        Task<Run> run = harness.RunAsync(caller.Token);
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(1000)).Soon();
        await caller.CancelAsync();
        Run result = await run.Soon();
        time.Advance(TimeSpan.FromSeconds(1));

        result.Error.Should().BeAssignableTo<OperationCanceledException>();
        source.Attempts.Should().HaveCount(1);
    }

    [Test]
    public async Task StreamAsync_YieldsOnlyContent_ReasoningOnlyWhenAskedFor([Values] bool includeReasoning)
    {
        var time = new TimerAwareFakeTimeProvider();
        var script = new FakeAttempt().Role().Reasoning("think").Usage(1, 2).Text("a").Update(new ChatUpdate { Refusal = "r", ContentFiltered = true }).Reasoning("more").Text("b").Finish();
        var source = new FakeChatSource(time, script);
        Harness harness = Harness.Create(source, time, options => options.IncludeReasoning = includeReasoning);

        Run result = await harness.RunAsync().Soon();

        result.Updates.Select(u => u.Text ?? "reasoning:" + u.Reasoning).Should().Equal(
            includeReasoning ? ["reasoning:think", "a", "reasoning:more", "b"] : ["a", "b"]);
        harness.Sink.Snapshot().ServerEventCount.Should().Be(8, "every update still reaches the sink");
        harness.Sink.Snapshot().ReasoningCharacterCount.Should().Be(9);
    }

    [Test]
    public async Task StreamAsync_EmptyAnswer_EndsWithoutContentOrRetry()
    {
        var time = new TimerAwareFakeTimeProvider();
        var source = new FakeChatSource(time, new FakeAttempt().Role().Finish().Usage(3, 0));
        Harness harness = Harness.Create(source, time);

        Run result = await harness.RunAsync().Soon();

        result.Error.Should().BeNull();
        result.Updates.Should().BeEmpty();
        source.Attempts.Should().HaveCount(1);
        source.FinishedAttempts.Should().Be(1);
    }

    private static async Task<(Run Result, FakeChatSource Source, int Retries)> RunAfterContentFailureAsync(TimerAwareFakeTimeProvider time, FakeAttempt script, MidStreamRecovery recovery)
    {
        var source = new FakeChatSource(time, script, new FakeAttempt().Text("never").Finish());
        int retries = 0;
        Harness harness = Harness.Create(source, time, options =>
        {
            options.MidStreamRecovery = recovery;
            options.OnRetry = _ =>
            {
                retries++;
                return ValueTask.CompletedTask;
            };
        });

        Run result = await harness.RunAsync().Soon();
        return (result, source, retries);
    }

    private static RateLimitException RateLimit(TimeSpan retryAfter) =>
        new(429, new ApiError("Rate limit reached", "requests", "rate_limit_exceeded", null), retryAfter);

    private sealed record Run(List<ChatUpdate> Updates, Exception? Error)
    {
        public List<string> Texts => Updates.Where(u => u.Text is not null).Select(u => u.Text!).ToList();
    }

    /// <summary>The resilient source and a started generation, consumed the way the generation consumes them.</summary>
    private sealed class Harness
    {
        private Harness(GeneratorCore core, StageGeneration generation)
        {
            Core = core;
            Generation = generation;
        }

        public GeneratorCore Core { get; }

        public StageGeneration Generation { get; }

        public GenerationSink Sink => Generation.Sink;

        public GenerationClock Clock => Generation.Clock;

        public static Harness Create(FakeChatSource source, TimeProvider time, Action<StreamingCodeGeneratorOptions>? configure = null)
        {
            StreamingCodeGeneratorOptions options = StageContexts.Options();
            configure?.Invoke(options);
            GeneratorCore core = StageContexts.Core(source, options, time);
            return new Harness(core, StageContexts.Start(core));
        }

        /// <summary>Reads every update, accepting and delivering answer text at once as the generation does without merging.</summary>
        public async Task<Run> RunAsync(CancellationToken cancellationToken = default)
        {
            var updates = new List<ChatUpdate>();
            try
            {
                await foreach (ChatUpdate update in Core.Source.StreamAsync(Generation.Request, Generation.Sink, Generation.Clock, cancellationToken))
                {
                    updates.Add(update);
                    if (update.Text is not null)
                    {
                        Generation.Answer.Accept(update.Text);
                        Generation.Answer.MarkDelivered(update.Text.Length);
                    }
                }

                return new Run(updates, null);
            }
            catch (Exception ex)
            {
                return new Run(updates, ex);
            }
        }
    }
}
