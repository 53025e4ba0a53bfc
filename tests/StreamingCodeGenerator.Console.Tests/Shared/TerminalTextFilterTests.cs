namespace StreamingCodeGeneration.Samples.Console.Tests.Shared;

[Parallelizable(ParallelScope.All)]
public sealed class TerminalTextFilterTests
{
    private const string Text = "a\r\nb\rc\u001b]0;t\u0007\r\r\n\u009b2J\u202Ed\r";

    [Test]
    public void Filter_EverySplitIntoThreePieces_ShowsWhatMakeVisibleShowsForTheWhole()
    {
        string whole = TerminalText.MakeVisible(Text);
        for (int first = 0; first <= Text.Length; first++)
        {
            for (int second = first; second <= Text.Length; second++)
            {
                var filter = new TerminalTextFilter();
                string shown = filter.Filter(Text[..first]) + filter.Filter(Text[first..second]) + filter.Filter(Text[second..]) + filter.Flush();
                shown.Should().Be(whole, "split at {0} and {1}", first, second);
            }
        }
    }

    [Test]
    public void Filter_OneCharacterAtATime_ShowsWhatMakeVisibleShowsForTheWhole()
    {
        var filter = new TerminalTextFilter();

        string shown = string.Concat(Text.Select(c => filter.Filter(c.ToString()))) + filter.Flush();

        shown.Should().Be(TerminalText.MakeVisible(Text));
    }

    [Test]
    public void Filter_CarriageReturnAtTheEnd_IsHeldUntilTheNextPieceOrFlush()
    {
        var filter = new TerminalTextFilter();

        filter.Filter("line\r").Should().Be("line");
        filter.IsHoldingCarriageReturn.Should().BeTrue();
        filter.Filter(string.Empty).Should().BeEmpty();
        filter.Filter("\nnext\r").Should().Be("\r\nnext");
        filter.Flush().Should().Be("^M");
        filter.Flush().Should().BeEmpty();
    }

    [Test]
    public void Filter_PrintableText_IsTheSameInstance()
    {
        const string text = "nothing to change\n";

        new TerminalTextFilter().Filter(text).Should().BeSameAs(text);
    }
}
