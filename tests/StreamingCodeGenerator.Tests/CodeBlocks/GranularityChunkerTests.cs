namespace StreamingCodeGeneration.Tests;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class GranularityChunkerTests
{
    private static IEnumerable<string> Fixtures => CorpusFixtures.Names;

    [Test]
    public void Push_Word_CutsAfterWhiteSpaceRuns()
    {
        List<TextSegment> pieces = Chunk(ChunkGranularity.Word, Prose("Hello wor"), Prose("ld  foo\n"), Prose("bar"));

        pieces.Select(p => p.Text).Should().Equal("Hello ", "world  ", "foo\n", "bar");
    }

    [Test]
    public void Push_Line_EmitsWholeLines()
    {
        List<TextSegment> pieces = Chunk(ChunkGranularity.Line, Prose("one\ntw"), Prose("o\nthree\nfo"), Prose("ur"));

        pieces.Select(p => p.Text).Should().Equal("one\n", "two\n", "three\n", "four");
    }

    [Test]
    public void Push_Line_CrAtSegmentEndWaitsForAPossibleLf()
    {
        List<TextSegment> crLf = Chunk(ChunkGranularity.Line, Prose("a\r"), Prose("\nb\r"), Prose("c"));

        crLf.Select(p => p.Text).Should().Equal("a\r\n", "b\r", "c");
    }

    [Test]
    public void Push_RunChanges_FlushesThePendingPiece()
    {
        var code = new TextSegment(ChunkKind.Code, "py", 0, "x = 1");

        List<TextSegment> pieces = Chunk(ChunkGranularity.Line, Prose("no newline"), code);

        pieces.Should().Equal(Prose("no newline"), code);
    }

    [Test]
    public void Push_Line_WholeLineSegment_ReusesTheString()
    {
        TextSegment segment = Prose("a whole line\n");

        List<TextSegment> pieces = Chunk(ChunkGranularity.Line, segment);

        pieces.Should().ContainSingle().Which.Text.Should().BeSameAs(segment.Text);
    }

    [TestCase(ChunkGranularity.Line)]
    [TestCase(ChunkGranularity.Word)]
    public void Push_SegmentThatClosesItsBlock_OnlyThePieceWithItsEndCloses(ChunkGranularity granularity)
    {
        var opening = new TextSegment(ChunkKind.Fence, "md", 0, "```md wide\n```", ClosesBlock: true);
        var lineEnding = new TextSegment(ChunkKind.Fence, "md", 0, "\n");

        List<TextSegment> pieces = Chunk(granularity, opening, lineEnding, Prose("after"));

        string.Concat(pieces.Select(p => p.Text)).Should().Be("```md wide\n```\nafter");
        pieces.Where(p => p.ClosesBlock).Should().ContainSingle().Which.Text.Should().EndWith("```\n", "the closing fence waited for its line ending");
        pieces.Last(p => p.Kind == ChunkKind.Fence).ClosesBlock.Should().BeTrue();
    }

    [TestCase((ChunkGranularity)42)]
    [TestCase(ChunkGranularity.Delta)]
    public void Constructor_GranularityWithoutPieces_Throws(ChunkGranularity granularity)
    {
        FluentActions.Invoking(() => new GranularityChunker(granularity))
            .Should().Throw<ArgumentOutOfRangeException>().WithParameterName("granularity");
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Corpus_Line_ConcatenatesToTheInputAndEveryPieceButTheLastOfARunEndsTheLine(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);
        var random = new Random(fixture.Length * 31);
        List<TextSegment>? first = null;

        for (int trial = 0; trial < 200; trial++)
        {
            List<TextSegment> segments = SegmentationHarness.Split(text, SegmentationHarness.RandomCuts(random, text.Length));
            List<TextSegment> pieces = Chunk(ChunkGranularity.Line, [.. segments]);

            SegmentationHarness.Concat(pieces).Should().Be(text);
            SegmentationHarness.Merge(pieces).Should().Equal(SegmentationHarness.Merge(segments), "pieces never cross a run");
            for (int i = 0; i < pieces.Count; i++)
            {
                bool lastOfRun = i == pieces.Count - 1 || !pieces[i].HasSameRunAs(pieces[i + 1]);
                string piece = pieces[i].Text;
                if (!lastOfRun)
                {
                    (piece.EndsWith('\n') || piece.EndsWith('\r')).Should().BeTrue("piece {0} \"{1}\" is not last of its run", i, SegmentationHarness.Escape(piece));
                }

                piece.TrimEnd('\r', '\n').Should().NotContainAny("\n", "\r");
            }

            first ??= pieces;
            pieces.Should().Equal(first, "line pieces depend only on the text");
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Corpus_Word_ConcatenatesToTheInputAndEveryPieceIsOneWord(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);
        var random = new Random(fixture.Length * 17);
        List<TextSegment>? first = null;

        for (int trial = 0; trial < 200; trial++)
        {
            List<TextSegment> segments = SegmentationHarness.Split(text, SegmentationHarness.RandomCuts(random, text.Length));
            List<TextSegment> pieces = Chunk(ChunkGranularity.Word, [.. segments]);

            SegmentationHarness.Concat(pieces).Should().Be(text);
            SegmentationHarness.Merge(pieces).Should().Equal(SegmentationHarness.Merge(segments), "pieces never cross a run");
            foreach (TextSegment piece in pieces)
            {
                string trimmed = piece.Text.TrimEnd();
                trimmed.Any(char.IsWhiteSpace).Should().BeFalse("\"{0}\" is one word and the white space after it", SegmentationHarness.Escape(piece.Text));
            }

            first ??= pieces;
            pieces.Should().Equal(first, "word pieces depend only on the text");
        }
    }

    private static TextSegment Prose(string text) => new(ChunkKind.Explanation, null, 0, text);

    private static List<TextSegment> Chunk(ChunkGranularity granularity, params TextSegment[] segments)
    {
        var chunker = new GranularityChunker(granularity);
        var output = new List<TextSegment>();
        foreach (TextSegment segment in segments)
        {
            chunker.Push(segment, output);
        }

        chunker.Complete(output);
        return output;
    }
}
