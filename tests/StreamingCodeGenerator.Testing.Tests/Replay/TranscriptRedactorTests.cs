namespace StreamingCodeGeneration.Testing.Tests.Replay;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TranscriptRedactorTests
{
    private const string Key = "sk-0123456789";

    private static List<TranscriptChunk> Chunks(params (int DelayMs, string Text)[] chunks) =>
        chunks.Select(c => new TranscriptChunk(TimeSpan.FromMilliseconds(c.DelayMs), c.Text)).ToList();

    [Test]
    public void Redact_SecretInsideOneChunk_IsReplacedAndBoundariesKept()
    {
        List<TranscriptChunk> result = TranscriptRedactor.Redact(Chunks((1, "a"), (2, "key " + Key + " and " + Key), (3, "b")), [Key]);

        result.Select(c => (c.Delay.TotalMilliseconds, c.Text)).Should().Equal((1, "a"), (2, "key [REDACTED] and [REDACTED]"), (3, "b"));
    }

    [Test]
    public void Redact_SecretSpanningThreeChunks_MergesThemAtTheLastChunksMoment()
    {
        List<TranscriptChunk> result = TranscriptRedactor.Redact(Chunks((1, "x sk-01"), (2, "2345"), (4, "6789 y"), (8, "z")), [Key]);

        result.Select(c => (c.Delay.TotalMilliseconds, c.Text)).Should().Equal((7, "x [REDACTED] y"), (8, "z"));
    }

    [Test]
    public void Redact_SecretOneBytePerChunk_IsFound()
    {
        List<TranscriptChunk> result = TranscriptRedactor.Redact(Key.Select(c => new TranscriptChunk(TimeSpan.Zero, c.ToString())).ToList(), [Key]);

        result.Should().ContainSingle().Which.Text.Should().Be("[REDACTED]");
    }

    [Test]
    public void UsableSecrets_ShortEmptyAndDuplicateValues_AreDroppedLongestFirst()
    {
        List<string> secrets = TranscriptRedactor.UsableSecrets(["Bearer " + Key, Key, Key, "short", null, " "]);

        secrets.Should().Equal("Bearer " + Key, Key);
    }

    [Test]
    public void Redact_HeaderValue_ReplacesEverySecret() =>
        TranscriptRedactor.Redact("k=" + Key, [Key]).Should().Be("k=[REDACTED]");
}
