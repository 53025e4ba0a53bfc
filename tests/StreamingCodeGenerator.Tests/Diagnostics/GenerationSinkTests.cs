using Microsoft.Extensions.Logging;
using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Diagnostics;

/// <summary>The one observer of a generation: the final status is decided once, retries are reported in order, logs are redacted.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class GenerationSinkTests
{
    private const string Key = "sk-proj-SINKKEY0123456789abcdef";

    [TestCase("completed", "failed", StreamStatus.Completed)]
    [TestCase("failed", "completed", StreamStatus.Failed)]
    [TestCase("cancelled", "completed", StreamStatus.Cancelled)]
    [TestCase("completed", "cancelled", StreamStatus.Completed)]
    [TestCase("failed", "cancelled", StreamStatus.Failed)]
    public void End_Twice_TheFirstFinalStatusStays(string first, string second, StreamStatus expected)
    {
        var logger = new ListLogger();
        GenerationSink sink = Sink(new TimerAwareFakeTimeProvider(), logger);
        sink.Start(Request);

        End(sink, first);
        End(sink, second);

        sink.Snapshot().Status.Should().Be(expected);
        logger.Entries.Where(e => e.Id.Id is 4 or 5 or 6).Should().ContainSingle("the end is logged once");
    }

    [Test]
    public void Status_WhileRunning_IsNotFinal()
    {
        GenerationSink sink = Sink(new TimerAwareFakeTimeProvider());

        sink.Snapshot().Status.Should().Be(StreamStatus.NotStarted);
        sink.Start(Request);
        sink.Snapshot().Status.Should().Be(StreamStatus.Connecting);
        sink.AttemptStarting(isContinuation: false);
        sink.Snapshot().Status.Should().Be(StreamStatus.Connecting);
    }

    [Test]
    public void NeverStarted_IsCancelledWithZeroElapsed_AndNothingIsLogged()
    {
        var time = new TimerAwareFakeTimeProvider();
        var logger = new ListLogger();
        GenerationSink sink = Sink(time, logger);
        time.Advance(TimeSpan.FromSeconds(30));

        sink.NeverStarted();
        time.Advance(TimeSpan.FromSeconds(30));

        StreamStats stats = sink.Snapshot();
        stats.Status.Should().Be(StreamStatus.Cancelled);
        stats.Elapsed.Should().Be(TimeSpan.Zero);
        logger.Entries.Should().BeEmpty();
    }

    [Test]
    public void Completed_AfterTime_FreezesElapsedAndLogsTheSummary()
    {
        var time = new TimerAwareFakeTimeProvider();
        var logger = new ListLogger();
        GenerationSink sink = Sink(time, logger);
        sink.Start(Request);
        sink.AttemptStarting(isContinuation: false);
        sink.Update(new ChatUpdate { Text = "hello", FinishReason = "stop" });
        sink.TextDelivered(5, 1);
        time.Advance(TimeSpan.FromSeconds(2));

        sink.Completed();
        time.Advance(TimeSpan.FromSeconds(2));

        sink.Snapshot().Elapsed.Should().Be(TimeSpan.FromSeconds(2));
        logger.Entries.Should().ContainSingle(e => e.Id.Id == 4).Which.Message.Should().Contain("5 characters").And.Contain("finish reason stop");
    }

    [Test]
    public void Completed_LogLine_DoesNotCallServerEventsChunks()
    {
        var logger = new ListLogger();
        GenerationSink sink = Sink(new TimerAwareFakeTimeProvider(), logger);
        sink.Start(Request);
        sink.Update(new ChatUpdate { ModelId = "m" });
        sink.Update(new ChatUpdate { Text = "ab" });
        sink.Update(new ChatUpdate { FinishReason = "stop" });
        sink.TextDelivered(2, 1);

        sink.Completed();

        logger.Entries.Single(e => e.Id.Id == 4).Message.Should().NotContain("3 chunks", "three server events carried one delivered chunk");
    }

    [Test]
    public async Task RetryingAsync_SetsRetrying_AndAttachesPartialTextAndStatsBeforeCallingOnRetry()
    {
        var time = new TimerAwareFakeTimeProvider();
        var logger = new ListLogger();
        var seen = new List<(RetryNotification Notification, StreamStatus StatusInCallback, string PartialText, StreamStatus StatsStatus, int StatsCharacters)>();
        GenerationSink sink = null!;
        var answer = new AnswerText();
        sink = Sink(time, logger, n =>
        {
            seen.Add((n, sink.Snapshot().Status, n.Reason.PartialText, n.Reason.Stats.Status, n.Reason.Stats.CharacterCount));
            return ValueTask.CompletedTask;
        }, answer);
        sink.Start(Request);
        sink.AttemptStarting(isContinuation: false);
        answer.Accept("def f() held");
        answer.MarkDelivered(7);
        sink.TextDelivered(7, 2);
        sink.AttemptStarting(isContinuation: true);
        var reason = new StreamInterruptedException("The connection was lost.", StreamInterruptionReason.ConnectionLost, null, null);

        await sink.RetryingAsync(TimeSpan.FromMilliseconds(750), reason, isContinuation: true);

        var (notification, statusInCallback, partialText, statsStatus, statsCharacters) = seen.Single();
        notification.Attempt.Should().Be(2, "two attempts were started");
        notification.Delay.Should().Be(TimeSpan.FromMilliseconds(750));
        notification.IsContinuation.Should().BeTrue();
        notification.Reason.Should().BeSameAs(reason);
        statusInCallback.Should().Be(StreamStatus.Retrying);
        partialText.Should().Be("def f()");
        statsStatus.Should().Be(StreamStatus.Retrying);
        statsCharacters.Should().Be(7);
        logger.Entries.Should().ContainSingle(e => e.Id.Id == 7).Which.Message.Should().Contain("7 characters").And.Contain("750 ms");
    }

    [Test]
    public async Task RetryingAsync_FirstAttemptFailed_LogsARetryAndWorksWithoutACallback()
    {
        var logger = new ListLogger();
        GenerationSink sink = Sink(new TimerAwareFakeTimeProvider(), logger);
        sink.Start(Request);
        sink.AttemptStarting(isContinuation: false);
        var reason = new ApiException(503, new ApiError("busy", null, null, null));

        await sink.RetryingAsync(TimeSpan.FromSeconds(1), reason, isContinuation: false);

        sink.Snapshot().Status.Should().Be(StreamStatus.Retrying);
        reason.PartialText.Should().BeEmpty();
        reason.Stats.Attempts.Should().Be(1);
        logger.Entries.Should().ContainSingle(e => e.Id.Id == 2).Which.Message.Should().Contain("Attempt 1 failed");
    }

    [Test]
    public void Update_AtTrace_LogsRedactedContentAndReasoning()
    {
        var logger = new ListLogger();
        GenerationSink sink = Sink(new TimerAwareFakeTimeProvider(), logger);
        sink.Start(Request);

        sink.Update(new ChatUpdate { Text = "key " + Key, Reasoning = "think " + Key });

        logger.Entries.Where(e => e.Level == LogLevel.Trace && e.Id.Id is 8 or 10).Select(e => e.Message).Should().BeEquivalentTo("Received reasoning: think ***", "Received: key ***");
        logger.Entries.Should().NotContain(e => e.Message.Contains(Key));
        sink.Snapshot().ServerEventCount.Should().Be(1);
    }

    [Test]
    public void Update_BelowTrace_LogsNoContent()
    {
        var logger = new ListLogger();
        GenerationSink sink = Sink(new TimerAwareFakeTimeProvider(), new MinimumLevelLogger(logger, LogLevel.Debug));
        sink.Start(Request);

        sink.Update(new ChatUpdate { Text = "secret answer", Reasoning = "secret thought" });

        logger.Entries.Should().NotContain(e => e.Message.Contains("secret"));
        sink.Snapshot().ReasoningCharacterCount.Should().Be(14);
    }

    [Test]
    public void TextAndReasoningDelivered_FeedTheStats()
    {
        GenerationSink sink = Sink(new TimerAwareFakeTimeProvider());
        sink.Start(Request);
        sink.ReasoningDelivered();
        sink.Snapshot().Status.Should().Be(StreamStatus.Streaming);

        sink.TextDelivered(12, 3);
        sink.TextDelivered(8, 5);

        sink.Snapshot().CharacterCount.Should().Be(20);
        sink.Snapshot().TokenCount.Should().Be(5);
    }

    [Test]
    public void UsageNotRequestedOrRejected_SaysUsageIsUnavailable([Values] bool rejected)
    {
        var logger = new ListLogger();
        GenerationSink sink = Sink(new TimerAwareFakeTimeProvider(), logger);

        if (rejected)
        {
            sink.UsageRejected(400);
        }
        else
        {
            sink.UsageNotRequested();
        }

        sink.Snapshot().UsageRequested.Should().BeFalse();
        logger.Entries.Where(e => e.Id.Id == 3).Should().HaveCount(rejected ? 1 : 0);
    }

    [Test]
    public void AttemptStarting_CountsAndLogsEachAttempt()
    {
        var logger = new ListLogger();
        GenerationSink sink = Sink(new TimerAwareFakeTimeProvider(), logger);
        sink.Start(Request);

        sink.AttemptStarting(isContinuation: false);
        sink.AttemptStarting(isContinuation: true);

        sink.Snapshot().Attempts.Should().Be(2);
        logger.Entries.Where(e => e.Id.Id == 1).Select(e => e.Message).Should().Equal(
            "Sending attempt 1 to model gpt-4o-mini (continuation: False).",
            "Sending attempt 2 to model gpt-4o-mini (continuation: True).");
    }

    private static readonly PreparedRequest Request = PreparedRequest.Create(
        new CodeGenerationRequest("x"),
        new StreamingCodeGeneratorOptions(),
        StreamingCodeGeneratorOptions.OpenAIEndpoint);

    private static GenerationSink Sink(TimeProvider time, ILogger? logger = null, Func<RetryNotification, ValueTask>? onRetry = null, AnswerText? answer = null) =>
        new(new StreamStatsTracker(time), answer ?? new AnswerText(), logger ?? new ListLogger(), new SecretRedactor(Key), Telemetry.Default, onRetry, progress: null, TimeSpan.FromMilliseconds(100), time, "gpt-4o-mini", "fake", null);

    private static void End(GenerationSink sink, string how)
    {
        switch (how)
        {
            case "completed":
                sink.Completed();
                break;
            case "failed":
                sink.Failed(new ApiException(500, new ApiError("boom", null, null, null)));
                break;
            default:
                sink.Cancelled();
                break;
        }
    }

    private sealed class MinimumLevelLogger(ILogger inner, LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }
    }
}
