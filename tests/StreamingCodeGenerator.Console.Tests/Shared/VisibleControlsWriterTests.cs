namespace StreamingCodeGeneration.Samples.Console.Tests.Shared;

[Parallelizable(ParallelScope.All)]
public sealed class VisibleControlsWriterTests
{
    [Test]
    public async Task Write_EveryOverload_ShowsControlsVisiblyAndKeepsLineEndings()
    {
        var inner = new StringWriter { NewLine = "\n" };
        var writer = new VisibleControlsWriter(inner);

        writer.Write('\u001b');
        writer.Write("]0;t\u0007 ");
        writer.Write("x\u009b".ToCharArray(), 0, 2);
        writer.Write("\r".AsSpan());
        writer.WriteLine();
        await writer.WriteAsync("async\u0007\r");
        await writer.WriteAsync("over".AsMemory());
        await writer.WriteLineAsync("line\u202E");
        writer.Write("end\r");
        await writer.FlushAsync();
        string beforeDispose = inner.ToString();
        await writer.DisposeAsync();

        beforeDispose.Should().Be("^[]0;t^G x\\u009B\r\nasync^G^Moverline\\u202E\nend", "a carriage return at the end waits for what follows");
        inner.ToString().Should().Be(beforeDispose + "^M");
    }

    [Test]
    public void ForTerminal_Redirected_IsTheWriterItself()
    {
        var inner = new StringWriter();

        VisibleControlsWriter.ForTerminal(inner, isRedirected: true).Should().BeSameAs(inner);
        VisibleControlsWriter.ForTerminal(inner, isRedirected: false).Should().BeOfType<VisibleControlsWriter>();
    }
}
