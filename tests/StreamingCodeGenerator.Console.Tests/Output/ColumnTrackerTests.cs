using System.Text;

namespace StreamingCodeGeneration.Samples.Console.Tests.Output;

[Parallelizable(ParallelScope.All)]
public sealed class ColumnTrackerTests
{
    [TestCase("abc", 3)]
    [TestCase("abc\ndef g", 5)]
    [TestCase("a\tb", 9)]
    [TestCase("日本", 4)]
    [TestCase("e\u0301", 1)]
    [TestCase("line\r\n", 0)]
    public void Advance_CountsTerminalCells(string text, int column)
    {
        var tracker = new ColumnTracker();

        tracker.Advance(text);

        tracker.Column.Should().Be(column);
    }

    [Test]
    public void AtRightEdge_ExactlyAMultipleOfTheWidth()
    {
        var tracker = new ColumnTracker();
        tracker.Advance(new string('x', 160));

        tracker.AtRightEdge(80).Should().BeTrue();
        tracker.AtRightEdge(100).Should().BeFalse();
        ColumnTracker.Width(new Rune(0x1F600)).Should().Be(2);
    }
}
