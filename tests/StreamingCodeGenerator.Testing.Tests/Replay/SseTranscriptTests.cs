namespace StreamingCodeGeneration.Testing.Tests.Replay;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SseTranscriptTests
{
    private static SseTranscript Sample() => new()
    {
        Request = "POST /v1/chat/completions",
        StatusCode = 200,
        ContentType = "text/event-stream; charset=utf-8",
        Headers = new Dictionary<string, string> { ["x-request-id"] = "req_1" },
        HeadersDelay = TimeSpan.FromMilliseconds(412.5),
        Chunks =
        [
            new TranscriptChunk(TimeSpan.FromMilliseconds(0.8), "data: {\"content\":\"Grüße\"}\n\n"),
            new TranscriptChunk(TimeSpan.FromMilliseconds(31.25), [0xF0, 0x9F, 0x98]),
            new TranscriptChunk(TimeSpan.Zero, "\r\n"),
        ],
        Ending = TranscriptEnding.Cut,
        EndDelay = TimeSpan.FromMilliseconds(0.1),
    };

    [Test]
    public void ToJsonLines_Sample_WritesTheDocumentedFormat()
    {
        string text = Sample().ToJsonLines();

        text.Should().Be(
            "{\"format\":\"sse-transcript/1\",\"request\":\"POST /v1/chat/completions\",\"status\":200,\"contentType\":\"text/event-stream; charset=utf-8\",\"headers\":{\"x-request-id\":\"req_1\"},\"delayMs\":412.5}\n" +
            "{\"delayMs\":0.8,\"data\":\"data: {\\\"content\\\":\\\"Grüße\\\"}\\n\\n\"}\n" +
            "{\"delayMs\":31.25,\"base64\":\"8J+Y\"}\n" +
            "{\"delayMs\":0,\"data\":\"\\r\\n\"}\n" +
            "{\"delayMs\":0.1,\"end\":\"cut\"}\n");
    }

    [Test]
    public void Parse_WrittenText_RoundTripsEveryField()
    {
        SseTranscript original = Sample();

        SseTranscript parsed = SseTranscript.Parse(original.ToJsonLines());

        parsed.Request.Should().Be(original.Request);
        parsed.StatusCode.Should().Be(200);
        parsed.ContentType.Should().Be(original.ContentType);
        parsed.Headers.Should().Equal(original.Headers);
        parsed.HeadersDelay.Should().Be(original.HeadersDelay);
        parsed.Chunks.Select(c => c.Delay).Should().Equal(original.Chunks.Select(c => c.Delay));
        parsed.Chunks.Select(c => c.Data.ToArray()).Should().BeEquivalentTo(original.Chunks.Select(c => c.Data.ToArray()), o => o.WithStrictOrdering());
        parsed.Ending.Should().Be(TranscriptEnding.Cut);
        parsed.EndDelay.Should().Be(original.EndDelay);
        parsed.ToJsonLines().Should().Be(original.ToJsonLines());
    }

    [Test]
    public void SaveAndLoad_File_RoundTrips()
    {
        string path = Path.Combine(Path.GetTempPath(), "sse-transcript-tests", Guid.NewGuid().ToString("N"), "nested", "t.sse.jsonl");
        try
        {
            Sample().Save(path);

            SseTranscript.Load(path).ToJsonLines().Should().Be(Sample().ToJsonLines());
            File.ReadAllBytes(path).Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF }, "no byte order mark");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(path))!, recursive: true);
        }
    }

    [Test]
    public void Parse_HandWrittenMinimal_DefaultsAreComplete()
    {
        SseTranscript transcript = SseTranscript.Parse("{\"format\":\"sse-transcript/1\"}\r\n\r\n{\"data\":\"data: [DONE]\\n\\n\",\"comment\":\"ignored\"}\n");

        transcript.StatusCode.Should().Be(200);
        transcript.ContentType.Should().BeNull();
        transcript.Headers.Should().BeEmpty();
        transcript.Ending.Should().Be(TranscriptEnding.Complete);
        transcript.GetBodyText().Should().Be("data: [DONE]\n\n");
        transcript.Duration.Should().Be(TimeSpan.Zero);
    }

    [TestCase("", "The transcript is empty*")]
    [TestCase("{\"status\":200}", "Line 1 of the transcript must be its header*")]
    [TestCase("{\"format\":\"sse-transcript/9\"}", "Line 1: format \"sse-transcript/9\" is not supported*")]
    [TestCase("{\"format\":\"sse-transcript/1\"}\nnot json", "Line 2 of the transcript is not JSON*")]
    [TestCase("{\"format\":\"sse-transcript/1\"}\n[1]", "Line 2 of the transcript is not a JSON object.")]
    [TestCase("{\"format\":\"sse-transcript/1\"}\n{\"delayMs\":-1,\"data\":\"x\"}", "Line 2: \"delayMs\" must be a non-negative number*")]
    [TestCase("{\"format\":\"sse-transcript/1\"}\n{\"delayMs\":1}", "Line 2 of the transcript has neither*")]
    [TestCase("{\"format\":\"sse-transcript/1\"}\n{\"base64\":\"!!\"}", "Line 2 of the transcript has neither*")]
    [TestCase("{\"format\":\"sse-transcript/1\"}\n{\"end\":\"maybe\"}", "Line 2: \"end\" must be \"complete\" or \"cut\"*")]
    [TestCase("{\"format\":\"sse-transcript/1\"}\n{\"end\":\"cut\"}\n{\"data\":\"x\"}", "Line 3 of the transcript follows its end line.")]
    [TestCase("{\"format\":\"sse-transcript/1\",\"status\":42}", "Line 1: status 42 is not an HTTP status.")]
    [TestCase("{\"format\":\"sse-transcript/1\",\"headers\":{\"a\":1}}", "Line 1: header \"a\" must be a string.")]
    public void Parse_Invalid_ThrowsFormatExceptionNamingTheLine(string text, string message)
    {
        Action parse = () => SseTranscript.Parse(text);

        parse.Should().Throw<FormatException>().WithMessage(message);
    }

    [Test]
    public void FromPieces_Events_OneChunkEachAtTheInterval()
    {
        SseTranscript transcript = SseTranscript.FromPieces(SseEvents.StandardAnswer("a"), TimeSpan.FromMilliseconds(8));

        transcript.Chunks.Select(c => c.Text).Should().Equal(SseEvents.StandardAnswer("a"));
        transcript.Chunks.Select(c => c.Delay).Should().Equal(TimeSpan.Zero, TimeSpan.FromMilliseconds(8), TimeSpan.FromMilliseconds(8), TimeSpan.FromMilliseconds(8), TimeSpan.FromMilliseconds(8));
        transcript.Duration.Should().Be(TimeSpan.FromMilliseconds(32));
        transcript.ContentType.Should().Be("text/event-stream");
    }

    [Test]
    public void Chunks_GivenAList_IsCopied()
    {
        var chunks = new List<TranscriptChunk> { new(TimeSpan.Zero, "a") };
        var transcript = new SseTranscript { Chunks = chunks };

        chunks.Add(new TranscriptChunk(TimeSpan.Zero, "b"));

        transcript.Chunks.Should().HaveCount(1);
    }

    [Test]
    public void Properties_OutOfRange_Throw()
    {
        Action status = () => _ = new SseTranscript { StatusCode = 600 };
        Action delay = () => _ = new TranscriptChunk(TimeSpan.FromTicks(-1), "x");

        status.Should().Throw<ArgumentOutOfRangeException>();
        delay.Should().Throw<ArgumentOutOfRangeException>();
    }
}
