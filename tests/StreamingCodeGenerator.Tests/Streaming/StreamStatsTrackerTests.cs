using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Streaming;

/// <summary>
/// The stats of one generation: what each report changes, on a fake clock, and the sequence lock that keeps every
/// snapshot consistent while one writer updates and another thread reads.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class StreamStatsTrackerTests
{
    [Test]
    public async Task Snapshot_ReadWhileOneWriterUpdates_IsAlwaysConsistentAndMonotonic()
    {
        const int Checkpoints = 40;
        const int UpdatesPerCheckpoint = 500;
        const int SnapshotsPerCheckpoint = 20;
        var tracker = new StreamStatsTracker(new TimerAwareFakeTimeProvider());
        tracker.Start();
        using var checkpointSeen = new SemaphoreSlim(0);
        int announced = 0;
        int writerFinished = 0;
        int readerFailed = 0;

        // The writer keeps invariants that span several fields of one write: each update carries two characters of
        // reasoning and usage whose input count is the update's number; each delivery adds 3 characters and reports
        // 5 tokens per character delivered so far.
        Task writer = Task.Factory.StartNew(
            () =>
            {
                int n = 0;
                for (int checkpoint = 1; checkpoint <= Checkpoints; checkpoint++)
                {
                    for (int i = 0; i < UpdatesPerCheckpoint; i++)
                    {
                        n++;
                        tracker.OnUpdate(new ChatUpdate { Reasoning = "xy", Usage = new TokenUsage(n, 0, n) });
                        tracker.OnDelivered(3, 5 * 3 * n);
                    }

                    // A handshake, not a sleep: wait until the reader has taken its snapshots of this exact state.
                    Volatile.Write(ref announced, checkpoint);
                    if (!checkpointSeen.Wait(TimeSpan.FromSeconds(30)) || Volatile.Read(ref readerFailed) != 0)
                    {
                        throw new InvalidOperationException("The reader did not confirm checkpoint " + checkpoint + ".");
                    }
                }

                Volatile.Write(ref writerFinished, 1);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        Task<(long Concurrent, long AtCheckpoints)> reader = Task.Factory.StartNew(
            () =>
            {
                long concurrent = 0, atCheckpoints = 0;
                int confirmed = 0;
                StreamStats? previous = null;
                try
                {
                    while (true)
                    {
                        bool finished = Volatile.Read(ref writerFinished) != 0;
                        int checkpoint = Volatile.Read(ref announced);
                        if (checkpoint > confirmed)
                        {
                            // The writer waits at this checkpoint: every snapshot shows exactly its state.
                            for (int k = 0; k < SnapshotsPerCheckpoint; k++)
                            {
                                StreamStats stable = tracker.Snapshot();
                                CheckConsistent(stable, previous);
                                stable.ServerEventCount.Should().Be(checkpoint * UpdatesPerCheckpoint);
                                stable.CharacterCount.Should().Be(3 * checkpoint * UpdatesPerCheckpoint);
                                previous = stable;
                                atCheckpoints++;
                            }

                            confirmed = checkpoint;
                            checkpointSeen.Release();
                            continue;
                        }

                        if (finished)
                        {
                            return (concurrent, atCheckpoints);
                        }

                        StreamStats snapshot = tracker.Snapshot();
                        CheckConsistent(snapshot, previous);
                        previous = snapshot;
                        concurrent++;
                    }
                }
                catch
                {
                    Volatile.Write(ref readerFailed, 1);
                    checkpointSeen.Release();
                    throw;
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        (long concurrent, long atCheckpoints) = await reader.Soon();
        await writer.Soon();
        await TestContext.Out.WriteLineAsync($"{concurrent} snapshots taken while the writer ran, {atCheckpoints} at checkpoints.");

        atCheckpoints.Should().Be(Checkpoints * SnapshotsPerCheckpoint);
        StreamStats final = tracker.Snapshot();
        final.ServerEventCount.Should().Be(Checkpoints * UpdatesPerCheckpoint);
        final.TokenCount.Should().Be(5 * final.CharacterCount);
    }

    [Test]
    public void Snapshot_BeforeStart_IsNotStartedWithZeroElapsed()
    {
        var time = new TimerAwareFakeTimeProvider();
        var tracker = new StreamStatsTracker(time);
        time.Advance(TimeSpan.FromSeconds(5));

        StreamStats stats = tracker.Snapshot();

        stats.Status.Should().Be(StreamStatus.NotStarted);
        stats.Elapsed.Should().Be(TimeSpan.Zero);
        stats.UsageRequested.Should().BeTrue();
        stats.TimeToFirstChunk.Should().BeNull();
    }

    [Test]
    public void Start_ThenTime_ElapsedIsLiveOnTheFakeClock()
    {
        var time = new TimerAwareFakeTimeProvider();
        var tracker = new StreamStatsTracker(time);
        time.Advance(TimeSpan.FromSeconds(5));

        tracker.Start();
        time.Advance(TimeSpan.FromMilliseconds(1500));

        tracker.Snapshot().Status.Should().Be(StreamStatus.Connecting);
        tracker.Snapshot().Elapsed.Should().Be(TimeSpan.FromMilliseconds(1500));
        tracker.Elapsed.Should().Be(TimeSpan.FromMilliseconds(1500));
    }

    [Test]
    public void BeginAttempt_NumbersAttempts_AndConnectsUntilTextWasDelivered()
    {
        var tracker = Started(out _);

        tracker.BeginAttempt().Should().Be(1);
        tracker.SetStatus(StreamStatus.Retrying);
        tracker.BeginAttempt().Should().Be(2);
        tracker.Snapshot().Status.Should().Be(StreamStatus.Connecting);
        tracker.OnDelivered(4, 1);
        tracker.SetStatus(StreamStatus.Retrying);
        tracker.BeginAttempt().Should().Be(3);

        tracker.Snapshot().Status.Should().Be(StreamStatus.Streaming, "a continuation streams: text already reached the caller");
        tracker.Snapshot().Attempts.Should().Be(3);
        tracker.Attempts.Should().Be(3);
    }

    [Test]
    public void OnUpdate_CountsEveryUpdateAndKeepsWhatEachCarries()
    {
        var tracker = Started(out _);

        tracker.OnUpdate(new ChatUpdate { ResponseId = "id-1", ModelId = "model-1" });
        tracker.OnUpdate(new ChatUpdate { Text = "abc", ResponseId = "id-2", ModelId = "model-2" });
        tracker.OnUpdate(new ChatUpdate { Reasoning = "thinking" });
        tracker.OnUpdate(new ChatUpdate { Refusal = "I can" });
        tracker.OnUpdate(new ChatUpdate { Refusal = "not.", ContentFiltered = true });
        tracker.OnUpdate(new ChatUpdate { Usage = new TokenUsage(1, 2, 3) });
        tracker.OnUpdate(new ChatUpdate { Usage = new TokenUsage(4, 5, 9), FinishReason = "max_tokens" });
        tracker.OnUpdate(new ChatUpdate { Text = "d" });

        StreamStats stats = tracker.Snapshot();
        stats.ServerEventCount.Should().Be(8);
        stats.EmptyServerEventCount.Should().Be(6);
        stats.ReasoningCharacterCount.Should().Be(8);
        stats.ResponseId.Should().Be("id-1", "the first id is kept");
        stats.ModelId.Should().Be("model-1");
        stats.Refusal.Should().Be("I cannot.");
        stats.ContentFiltered.Should().BeTrue("once filtered, always filtered");
        stats.Usage!.TotalTokenCount.Should().Be(9, "the last usage wins");
        stats.RawFinishReason.Should().Be("max_tokens");
        stats.FinishReason.Should().Be(FinishReason.Length);
        stats.IsTruncated.Should().BeTrue();
        stats.CharacterCount.Should().Be(0, "received is not delivered");
    }

    [Test]
    public void OnDelivered_FirstTextSetsTimeToFirstChunkOnce_AndTheRateCountsFromIt()
    {
        var tracker = Started(out TimerAwareFakeTimeProvider time);
        time.Advance(TimeSpan.FromSeconds(2));

        tracker.OnDelivered(10, 4);
        time.Advance(TimeSpan.FromSeconds(4));
        tracker.OnDelivered(30, 20);

        StreamStats stats = tracker.Snapshot();
        stats.TimeToFirstChunk.Should().Be(TimeSpan.FromSeconds(2));
        stats.CharacterCount.Should().Be(40);
        stats.TokenCount.Should().Be(20, "the total is reported, not added");
        stats.Status.Should().Be(StreamStatus.Streaming);
        stats.TokensPerSecond.Should().Be(5, "20 tokens in the 4 s since the first chunk");
    }

    [Test]
    public void OnDelivered_AtTheFirstChunk_RateIsZeroNotInfinite()
    {
        var tracker = Started(out TimerAwareFakeTimeProvider time);
        time.Advance(TimeSpan.FromSeconds(1));

        tracker.OnDelivered(3, 1);

        tracker.Snapshot().TokensPerSecond.Should().Be(0);
    }

    [TestCase(StreamStatus.Connecting)]
    [TestCase(StreamStatus.Retrying)]
    public void OnReasoningDelivered_WhileWaiting_IsStreaming(StreamStatus before)
    {
        var tracker = Started(out _);
        tracker.SetStatus(before);

        tracker.OnReasoningDelivered();

        tracker.Snapshot().Status.Should().Be(StreamStatus.Streaming);
        tracker.Snapshot().TimeToFirstChunk.Should().BeNull("reasoning is not answer text");
    }

    [Test]
    public void Finish_SetsTheFinalStatusOnce_AndFreezesElapsed()
    {
        var tracker = Started(out TimerAwareFakeTimeProvider time);
        time.Advance(TimeSpan.FromSeconds(3));

        tracker.Finish(StreamStatus.Failed).Should().BeTrue();
        time.Advance(TimeSpan.FromSeconds(10));
        tracker.Finish(StreamStatus.Completed).Should().BeFalse();
        tracker.OnReasoningDelivered();
        tracker.OnDelivered(1, 1);

        StreamStats stats = tracker.Snapshot();
        stats.Status.Should().Be(StreamStatus.Failed);
        stats.Elapsed.Should().Be(TimeSpan.FromSeconds(3));
        tracker.Status.Should().Be(StreamStatus.Failed);
    }

    [Test]
    public void Finish_NeverStarted_HasZeroElapsed()
    {
        var time = new TimerAwareFakeTimeProvider();
        var tracker = new StreamStatsTracker(time);
        time.Advance(TimeSpan.FromMinutes(1));

        tracker.Finish(StreamStatus.Cancelled).Should().BeTrue();
        time.Advance(TimeSpan.FromMinutes(1));

        tracker.Snapshot().Status.Should().Be(StreamStatus.Cancelled);
        tracker.Snapshot().Elapsed.Should().Be(TimeSpan.Zero);
    }

    [Test]
    public void DisableUsage_SaysUsageWasNotRequested()
    {
        var tracker = Started(out _);

        tracker.DisableUsage();

        tracker.Snapshot().UsageRequested.Should().BeFalse();
    }

    [TestCase("stop", FinishReason.Stop)]
    [TestCase("eos", FinishReason.Stop)]
    [TestCase("end_turn", FinishReason.Stop)]
    [TestCase("length", FinishReason.Length)]
    [TestCase("max_tokens", FinishReason.Length)]
    [TestCase("content_filter", FinishReason.ContentFilter)]
    [TestCase("tool_calls", FinishReason.ToolCalls)]
    [TestCase("function_call", FinishReason.FunctionCall)]
    [TestCase("completed", FinishReason.Stop)]
    [TestCase("stop_sequence", FinishReason.Stop)]
    [TestCase("max_output_tokens", FinishReason.Length)]
    [TestCase("model_context_window_exceeded", FinishReason.Length)]
    [TestCase("refusal", FinishReason.ContentFilter)]
    [TestCase("tool_use", FinishReason.ToolCalls)]
    [TestCase("pause_turn", FinishReason.Other)]
    [TestCase("STOP", FinishReason.Other)]
    [TestCase("", FinishReason.Other)]
    [TestCase("insufficient_system_resource", FinishReason.Other)]
    public void MapFinishReason_KnownSpellings(string raw, FinishReason expected) =>
        StreamStatsTracker.MapFinishReason(raw).Should().Be(expected);

    private static StreamStatsTracker Started(out TimerAwareFakeTimeProvider time)
    {
        time = new TimerAwareFakeTimeProvider();
        var tracker = new StreamStatsTracker(time);
        tracker.Start();
        return tracker;
    }

    private static void CheckConsistent(StreamStats stats, StreamStats? previous)
    {
        int events = stats.ServerEventCount;
        stats.EmptyServerEventCount.Should().Be(events);
        stats.ReasoningCharacterCount.Should().Be(2 * events);
        (stats.Usage?.InputTokenCount ?? 0).Should().Be(events);
        stats.TokenCount.Should().Be(5 * stats.CharacterCount);
        (stats.CharacterCount % 3).Should().Be(0);
        (stats.CharacterCount / 3).Should().BeOneOf(events - 1, events);
        if (previous is not null)
        {
            events.Should().BeGreaterThanOrEqualTo(previous.ServerEventCount);
            stats.CharacterCount.Should().BeGreaterThanOrEqualTo(previous.CharacterCount);
        }
    }
}
