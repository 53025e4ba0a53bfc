namespace StreamingCodeGeneration.Tests;

/// <summary>Property tests of <see cref="CodeFenceSegmenter"/> over the fixture corpus and random text.</summary>
public sealed partial class CodeFenceSegmenterTests
{
    private const int RandomSplitsPerFixture = 400;
    private const int FuzzCases = 3000;

    private static IEnumerable<string> Fixtures => CorpusFixtures.Names;

    [TestCaseSource(nameof(Fixtures))]
    public void Corpus_WholeInput_MatchesTheReferenceParser(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);

        List<TextSegment> segments = SegmentationHarness.Whole(text);

        SegmentationHarness.Concat(segments).Should().Be(text);
        SegmentationHarness.Merge(segments).Should().Equal(ReferenceFenceParser.Parse(text),
            "streaming and whole-text rules agree:\n{0}", SegmentationHarness.Render(SegmentationHarness.Merge(segments)));
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Corpus_EveryTwoWaySplit_GivesTheSameSegmentation(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);
        List<TextSegment> expected = SegmentationHarness.Merge(SegmentationHarness.Whole(text));

        for (int cut = 1; cut < text.Length; cut++)
        {
            List<TextSegment> segments = SegmentationHarness.Split(text, [cut]);

            SegmentationHarness.Concat(segments).Should().Be(text, "split at {0}", cut);
            SegmentationHarness.Merge(segments).Should().Equal(expected, "split at {0}", cut);
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Corpus_OneCharacterAtATime_GivesTheSameSegmentation(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);

        List<TextSegment> segments = SegmentationHarness.OneCharAtATime(text);

        SegmentationHarness.Concat(segments).Should().Be(text);
        SegmentationHarness.Merge(segments).Should().Equal(SegmentationHarness.Merge(SegmentationHarness.Whole(text)));
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Corpus_RandomSplits_GiveTheSameSegmentation(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);
        List<TextSegment> expected = SegmentationHarness.Merge(SegmentationHarness.Whole(text));
        var random = new Random(fixture.Length * 7919);

        for (int trial = 0; trial < RandomSplitsPerFixture; trial++)
        {
            int[] cuts = SegmentationHarness.RandomCuts(random, text.Length);

            List<TextSegment> segments = SegmentationHarness.Split(text, cuts);

            SegmentationHarness.Concat(segments).Should().Be(text, "cuts {0}", string.Join(",", cuts));
            SegmentationHarness.Merge(segments).Should().Equal(expected, "cuts {0}", string.Join(",", cuts));
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Corpus_EveryLineEnding_ClassifiesTheSameLines(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);
        string lf = SegmentationHarness.WithLineEnding(text, "\n");
        string expected = SegmentationHarness.LineKinds(lf);

        foreach (string lineEnding in LineEndings)
        {
            string variant = SegmentationHarness.WithLineEnding(text, lineEnding);

            SegmentationHarness.LineKinds(variant).Should().Be(expected, "line ending {0}", SegmentationHarness.Escape(lineEnding));
            SegmentationHarness.Merge(SegmentationHarness.OneCharAtATime(variant))
                .Should().Equal(SegmentationHarness.Merge(SegmentationHarness.Whole(variant)));
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Corpus_AfterEachDelta_OnlyAPossibleFenceAtLineStartIsHeld(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);
        var random = new Random(fixture.Length);

        for (int trial = 0; trial < 50; trial++)
        {
            int[] cuts = trial == 0 ? Enumerable.Range(1, Math.Max(0, text.Length - 1)).ToArray() : SegmentationHarness.RandomCuts(random, text.Length);
            var segmenter = new CodeFenceSegmenter();
            var output = new List<TextSegment>();
            int start = 0;
            for (int k = 0; k <= cuts.Length; k++)
            {
                int end = k < cuts.Length ? cuts[k] : text.Length;
                segmenter.Push(text[start..end], output);
                start = end;

                AssertOnlyPossibleFenceHeld(text[..end], SegmentationHarness.Concat(output));
            }

            segmenter.Complete(output);
            SegmentationHarness.Concat(output).Should().Be(text);
        }
    }

    [Test]
    public void Corpus_CrLfFixture_HasCrLfLineEndings()
    {
        string text = CorpusFixtures.Load("crlf.md");

        text.Should().Contain("\r\n").And.NotMatchRegex("[^\r]\n", "a checkout that converted line endings would hide the CRLF case");
    }

    [Test]
    public void Fuzz_RandomFenceHeavyText_MatchesTheReferenceUnderRandomSplits()
    {
        const string Alphabet = "```~~~   \t\n\n\r-*1.)>ax";
        var random = new Random(20240611);
        var text = new System.Text.StringBuilder();

        for (int trial = 0; trial < FuzzCases; trial++)
        {
            text.Clear();
            int length = random.Next(0, 80);
            for (int i = 0; i < length; i++)
            {
                text.Append(Alphabet[random.Next(Alphabet.Length)]);
            }

            string input = text.ToString();
            List<TextSegment> expected = ReferenceFenceParser.Parse(input);
            string because = "input \"" + SegmentationHarness.Escape(input) + "\"";

            SegmentationHarness.Merge(SegmentationHarness.Whole(input)).Should().Equal(expected, because);
            SegmentationHarness.Merge(SegmentationHarness.OneCharAtATime(input)).Should().Equal(expected, because);
            List<TextSegment> split = SegmentationHarness.Split(input, SegmentationHarness.RandomCuts(random, input.Length));
            SegmentationHarness.Concat(split).Should().Be(input, because);
            SegmentationHarness.Merge(split).Should().Equal(expected, because);
        }
    }

    /// <summary>
    /// The latency bar: released text is everything pushed except, at most, the current line's start when that start
    /// could still become a fence (indentation, then a run of one fence character, then for three or more an info
    /// string or trailing blanks).
    /// </summary>
    private static void AssertOnlyPossibleFenceHeld(string pushed, string released)
    {
        pushed.Should().StartWith(released);
        string held = pushed[released.Length..];
        if (held.Length == 0)
        {
            return;
        }

        int lineStart = pushed.LastIndexOfAny(['\n', '\r']) + 1;
        held.Should().Be(pushed[lineStart..], "only a line start is held, never past the line end");
        CouldStillBeFence(held).Should().BeTrue("\"{0}\" cannot become a fence and must be released", SegmentationHarness.Escape(held));
    }

    private static bool CouldStillBeFence(string lineStart)
    {
        string rest = lineStart.TrimStart(' ', '\t');
        if (rest.Length == 0)
        {
            return true;
        }

        char c = rest[0];
        if (c != '`' && c != '~')
        {
            return false;
        }

        int run = 0;
        while (run < rest.Length && rest[run] == c)
        {
            run++;
        }

        if (run == rest.Length)
        {
            return true;
        }

        return run >= 3 && (c == '~' || !rest[run..].Contains('`'));
    }
}
