namespace StreamingCodeGeneration.Samples.Console.Tests.Output;

[Parallelizable(ParallelScope.All)]
public sealed class StatusLineRendererTests
{
    private const string Draw = "\u001bD\u001bM\u001b7\u001bD\r\u001b[2K";

    [Test]
    public void WriteText_EachPieceOnce_StatusErasedBeforeAndDrawnAfterInTheSameWrite()
    {
        var terminal = new RecordingWriter();
        var renderer = new StatusLineRenderer(terminal, () => 80, colour: false);

        renderer.Update("status 1");
        renderer.WriteText("Hello, ", "Hello, ");
        renderer.WriteText("world\n", "world\n", "status 2");
        renderer.Stop();

        terminal.Writes.Should().Equal(
            StatusLineRenderer.HideCursor + Draw + "status 1\u001b8",
            StatusLineRenderer.Erase + "Hello, " + Draw + "status 1\u001b8",
            StatusLineRenderer.Erase + "world\n" + Draw + "status 2\u001b8",
            StatusLineRenderer.Erase + StatusLineRenderer.ShowCursor);
        string.Concat(terminal.Writes).Split("Hello").Should().HaveCount(2, "streamed text is never written again");
    }

    [Test]
    public void Update_LongerThanTheTerminal_IsCutToOneCellLessThanTheWidth()
    {
        var terminal = new RecordingWriter();
        var renderer = new StatusLineRenderer(terminal, () => 20, colour: true);

        renderer.Update(new string('s', 50));

        terminal.Writes.Single().Should().Contain(AnswerStyle.Dim + new string('s', 19) + AnswerStyle.Reset + "\u001b8");
    }

    [Test]
    public void WriteText_EndingAtTheRightEdge_LeavesTheStatusOffUntilTheCursorMovesOn()
    {
        var terminal = new RecordingWriter();
        var renderer = new StatusLineRenderer(terminal, () => 10, colour: false);
        renderer.Update("s");

        renderer.WriteText("0123456789", "0123456789");
        renderer.Update("s");
        renderer.WriteText("a", "a");

        terminal.Writes.Should().HaveCount(3, "the update at the edge writes nothing");
        terminal.Writes[1].Should().Be(StatusLineRenderer.Erase + "0123456789", "a status drawn now would make the next character overwrite the last column");
        terminal.Writes[2].Should().Be("a" + Draw + "s\u001b8");
    }

    [Test]
    public void Stop_ThenText_GoesStraightThrough()
    {
        var terminal = new RecordingWriter();
        var renderer = new StatusLineRenderer(terminal, () => 80, colour: false);
        renderer.Stop();

        renderer.WriteText("late", "late");
        renderer.Update("ignored");

        terminal.Writes.Should().Equal("late");
    }

    /// <summary>Records each Write call (a renderer operation is exactly one write); one write, one flush.</summary>
    private sealed class RecordingWriter : StringWriter
    {
        private string? _pending;

        public List<string> Writes { get; } = [];

        public override void Write(string? value) => _pending = (_pending ?? string.Empty) + value;

        public override void Flush()
        {
            Writes.Add(_pending ?? string.Empty);
            _pending = null;
        }
    }
}
