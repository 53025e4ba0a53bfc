using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Scripts;

/// <content>Replaying transcripts: the same bytes, chunk by chunk, on the server's clock.</content>
public sealed partial class RespondTests
{
    private static SseTranscript Recorded() => new()
    {
        StatusCode = 200,
        ContentType = "text/event-stream",
        Headers = new Dictionary<string, string> { ["x-request-id"] = "req_42" },
        HeadersDelay = TimeSpan.FromMilliseconds(400),
        Chunks =
        [
            new TranscriptChunk(TimeSpan.FromMilliseconds(10), SseEvents.Role()),
            new TranscriptChunk(TimeSpan.FromMilliseconds(100), SseEvents.Content("Hel")),
            new TranscriptChunk(TimeSpan.FromMilliseconds(300), SseEvents.Content("lo") + SseEvents.Finish()),
            new TranscriptChunk(TimeSpan.Zero, SseEvents.Done),
        ],
        EndDelay = TimeSpan.FromMilliseconds(2),
    };

    [Test]
    public async Task ReplayInstantly_Transcript_WritesItsStatusHeadersAndChunks()
    {
        SseTranscript transcript = Recorded();

        RawResponse response = await SendAsync(Respond.ReplayInstantly(transcript));

        response.Status.Should().Be(200);
        response.Header("Content-Type").Should().Be("text/event-stream");
        response.Header("x-request-id").Should().Be("req_42");
        response.ChunkTexts.Should().Equal(transcript.Chunks.Select(c => c.Text));
        response.Complete.Should().BeTrue();
    }

    [Test]
    public async Task Replay_ThroughTheLibrary_YieldsTheRecordedText()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.ReplayInstantly(Recorded()));

        string text = await Consume.TextAsync(server.CreateGenerator().GenerateAsync("x"));

        text.Should().Be("Hello");
    }

    [TestCase(1.0, new[] { 400.0, 10, 100, 300, 2 })]
    [TestCase(10.0, new[] { 40.0, 1, 10, 30, 0.2 })]
    [TestCase(0.5, new[] { 800.0, 20, 200, 600, 4 })]
    public async Task Replay_FakeClock_WaitsEachRecordedDelayDividedBySpeed(double speed, double[] expectedMilliseconds)
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(new OpenAITestServerOptions { TimeProvider = time }, Respond.Replay(Recorded(), speed));
        TimeSpan[] expected = expectedMilliseconds.Select(TimeSpan.FromMilliseconds).ToArray();

        Task<RawResponse> sending = RawHttp.PostAsync(server.BaseAddress);
        foreach (TimeSpan delay in expected)
        {
            await time.WaitForTimerAsync(delay);
            time.Advance(delay);
        }

        RawResponse response = await sending.Soon();
        time.ArmedDueTimes.Should().Equal(expected, "a zero delay arms no timer, and a fraction of a millisecond is kept");
        response.Text.Should().Be(Recorded().GetBodyText());
    }

    [Test]
    public async Task Replay_CutTranscript_AbortsTheConnectionAfterTheLastChunk()
    {
        SseTranscript transcript = new()
        {
            Chunks = [new TranscriptChunk(TimeSpan.Zero, SseEvents.Role()), new TranscriptChunk(TimeSpan.Zero, SseEvents.Content("par"))],
            Ending = TranscriptEnding.Cut,
        };

        RawResponse response = await SendAsync(Respond.ReplayInstantly(transcript));

        response.Complete.Should().BeFalse();
    }

    [Test]
    public async Task Replay_ErrorTranscript_ReplaysTheStatusAndBody()
    {
        var transcript = new SseTranscript
        {
            StatusCode = 429,
            ContentType = "application/json",
            Headers = new Dictionary<string, string> { ["retry-after"] = "3" },
            Chunks = [new TranscriptChunk(TimeSpan.Zero, SseEvents.ErrorJson("slow down", "requests", "rate_limit_exceeded"))],
        };

        Exception? error = await FailureAsync(Respond.ReplayInstantly(transcript));

        var limited = error.Should().BeOfType<RateLimitException>().Subject;
        limited.RetryAfter.Should().Be(TimeSpan.FromSeconds(3));
        limited.ServerMessage.Should().Be("slow down");
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    public void Replay_SpeedNotPositive_Throws(double speed)
    {
        Action replay = () => Respond.Replay(Recorded(), speed);

        replay.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Speed must be positive*");
    }
}
