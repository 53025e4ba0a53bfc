using Microsoft.Extensions.Time.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Output;

[Parallelizable(ParallelScope.All)]
public sealed class LiveStatusTests
{
    [Test]
    public void Render_BeforeTheFirstChunk_SaysItIsWaiting()
    {
        var clock = new FakeTimeProvider();
        var status = new LiveStatus(clock);
        clock.Advance(TimeSpan.FromMilliseconds(420));

        status.Render(0).Should().Be("⠋ 420 ms · waiting for the first chunk · attempt 1");
    }

    [Test]
    public void Render_Streaming_ShowsElapsedTokensRateFirstChunkAttemptAndTheFile()
    {
        var clock = new FakeTimeProvider();
        var status = new LiveStatus(clock);
        clock.Advance(TimeSpan.FromSeconds(3.25));
        status.Report(new StreamStats { Status = StreamStatus.Streaming, TokenCount = 245, TokensPerSecond = 72.14, TimeToFirstChunk = TimeSpan.FromMilliseconds(410), Attempts = 2 });
        status.Saw(new Chunk(3, "x = 1\n", TimeSpan.Zero, ChunkKind.Code, "python", 0, "sort.py"));

        status.Render(1).Should().Be("⠙ 3.3 s · 245 tokens · 72.1 tok/s · first chunk 410 ms · attempt 2 · writing sort.py");
    }

    [Test]
    public void Render_WaitingToRetry_CountsDownThenClearsWhenTheNextAttemptReports()
    {
        var clock = new FakeTimeProvider();
        var status = new LiveStatus(clock);
        status.Report(new StreamStats { Status = StreamStatus.Retrying, Attempts = 1 });
        status.Retrying(new RetryNotification(1, TimeSpan.FromSeconds(4), new RateLimitException(), isContinuation: false));

        status.Render(0).Should().Be("⠋ rate limited, retrying in 4 s (attempt 2) · 0 ms");
        clock.Advance(TimeSpan.FromSeconds(1.5));
        status.Render(0).Should().Be("⠋ rate limited, retrying in 3 s (attempt 2) · 1.5 s");
        clock.Advance(TimeSpan.FromSeconds(2.5));
        status.Render(0).Should().StartWith("⠋ rate limited, retrying now (attempt 2)");

        status.Report(new StreamStats { Status = StreamStatus.Connecting, Attempts = 2 });
        status.Render(0).Should().Be("⠋ 4.0 s · waiting for the first chunk · attempt 2");
    }

    [Test]
    public void DescribeFailure_TimeoutAndConnection_HaveShortNames()
    {
        LiveStatus.DescribeFailure(new RateLimitException()).Should().Be("rate limited");
        LiveStatus.DescribeFailure(new StreamTimeoutException()).Should().Be("no answer in time", "a timeout before the first chunk is what gets retried");
        LiveStatus.DescribeFailure(new StreamInterruptedException()).Should().Be("connection lost");
        LiveStatus.DescribeFailure(new MalformedResponseException()).Should().Be("malformed response");
    }

    [TestCase(0.25, "250 ms")]
    [TestCase(3.04, "3.0 s")]
    [TestCase(59.94, "59.9 s")]
    [TestCase(65, "1:05 min")]
    public void Time_FormatsForTheStatusLine(double seconds, string expected) =>
        LiveStatus.Time(TimeSpan.FromSeconds(seconds)).Should().Be(expected);
}
