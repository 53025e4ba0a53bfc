namespace StreamingCodeGeneration.Tests.Protocol;

/// <summary>Surrogate pairs a server split across events are joined; halves without a partner become U+FFFD.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SurrogateRepairTests
{
    private const string Emoji = "\U0001F600";
    private const string Text = "a" + Emoji + "b" + Emoji + Emoji + "c";

    [Test]
    public void Push_TextSplitInTwoAtEveryPosition_ComesOutExact()
    {
        for (int split = 0; split <= Text.Length; split++)
        {
            var repair = new SurrogateRepair();

            string output = Push(repair, Text[..split]) + Push(repair, Text[split..]) + repair.Flush();

            output.Should().Be(Text, "split at {0}", split);
            repair.IsHolding.Should().BeFalse();
        }
    }

    [Test]
    public void Push_OneCharacterPerPiece_ComesOutExact()
    {
        var repair = new SurrogateRepair();
        var output = new System.Text.StringBuilder();

        foreach (char c in Text)
        {
            output.Append(Push(repair, c.ToString()));
        }

        output.Append(repair.Flush());
        output.ToString().Should().Be(Text);
    }

    [Test]
    public void Push_HighHalfAtTheEnd_IsHeldUntilItsLowHalf()
    {
        var repair = new SurrogateRepair();

        repair.Push("x\uD83D", wellFormed: false).Should().Be("x");
        repair.IsHolding.Should().BeTrue();
        repair.Push("\uDE00y", wellFormed: false).Should().Be(Emoji + "y");
        repair.IsHolding.Should().BeFalse();
    }

    [Test]
    public void Push_HeldHighHalfFollowedByOtherText_BecomesReplacement()
    {
        var repair = new SurrogateRepair();

        repair.Push("\uD83D", wellFormed: false).Should().BeEmpty();
        repair.Push("next", wellFormed: true).Should().Be("\uFFFDnext", "a well-formed piece still settles the held half");
        repair.IsHolding.Should().BeFalse();
    }

    [Test]
    public void Push_HeldHighHalfFollowedByAnotherHighHalf_FirstIsReplacedSecondHeld()
    {
        var repair = new SurrogateRepair();

        repair.Push("\uD83D", wellFormed: false).Should().BeEmpty();
        repair.Push("\uD83D", wellFormed: false).Should().Be("\uFFFD");
        repair.IsHolding.Should().BeTrue();
        repair.Push("\uDE00", wellFormed: false).Should().Be(Emoji);
    }

    [Test]
    public void Push_EmptyPieceWhileHolding_KeepsHolding()
    {
        var repair = new SurrogateRepair();

        repair.Push("\uD83D", wellFormed: false).Should().BeEmpty();
        repair.Push(string.Empty, wellFormed: true).Should().BeEmpty();
        repair.Push("\uDE00", wellFormed: false).Should().Be(Emoji);
    }

    // Attribute strings are stored as UTF-8, which cannot hold a lone surrogate: the cases are written escaped.
    [TestCase(@"\uDE00", @"\uFFFD", TestName = "Push_LoneLowHalf_BecomesReplacement")]
    [TestCase(@"a\uD83Db", @"a\uFFFDb", TestName = "Push_LoneHighHalfInTheMiddle_BecomesReplacement")]
    [TestCase(@"\uDE00\uD83D\uDE00", @"\uFFFD\uD83D\uDE00", TestName = "Push_LowThenPair_ReplacementThenPair")]
    [TestCase(@"\uD83D\uD83D\uDE00", @"\uFFFD\uD83D\uDE00", TestName = "Push_HighThenPair_ReplacementThenPair")]
    public void Push_LoneHalves(string text, string expected)
    {
        var repair = new SurrogateRepair();

        (repair.Push(Unescape(text), wellFormed: false) + repair.Flush()).Should().Be(Unescape(expected));
    }

    [Test]
    public void Push_WellFormedWhileNothingHeld_ReturnsTheSameInstance()
    {
        var repair = new SurrogateRepair();
        string text = "plain " + Emoji;

        repair.Push(text, wellFormed: true).Should().BeSameAs(text);
    }

    [Test]
    public void Flush_HeldHighHalf_BecomesReplacementOnce()
    {
        var repair = new SurrogateRepair();
        repair.Push("a\uD83D", wellFormed: false);

        repair.Flush().Should().Be("\uFFFD");
        repair.Flush().Should().BeEmpty();
        repair.IsHolding.Should().BeFalse();
    }

    [Test]
    public void Flush_NothingHeld_IsEmpty() => new SurrogateRepair().Flush().Should().BeEmpty();

    [TestCase("", "")]
    [TestCase(@"ok \uD83D\uDE00", @"ok \uD83D\uDE00")]
    [TestCase(@"end\uD83D", @"end\uFFFD")]
    [TestCase(@"\uDE00start", @"\uFFFDstart")]
    [TestCase(@"\uDE00\uD83D", @"\uFFFD\uFFFD")]
    public void ReplaceLoneSurrogates_ReplacesEveryUnpairedHalf(string text, string expected) =>
        SurrogateRepair.ReplaceLoneSurrogates(Unescape(text)).Should().Be(Unescape(expected));

    private static string Unescape(string escaped) => System.Text.RegularExpressions.Regex.Unescape(escaped);

    /// <summary>Pushes a piece the way the source does: flagged ill-formed when it holds a half without its partner.</summary>
    private static string Push(SurrogateRepair repair, string piece) => repair.Push(piece, wellFormed: !JsonStrings.HasLoneSurrogate(piece));
}
