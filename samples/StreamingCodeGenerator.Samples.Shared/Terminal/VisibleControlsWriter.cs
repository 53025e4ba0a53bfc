using System.Text;

namespace StreamingCodeGeneration.Samples;

/// <summary>
/// A writer for a terminal that shows a server's or a model's text: everything written through it passes a
/// <see cref="TerminalTextFilter"/>, so control characters appear visibly (<c>^[</c>, <c>^G</c>, <c>\u009B</c>) instead of
/// acting on the terminal. For output that carries no escape codes of its own (plain progress lines, a streamed answer
/// without colours); use <see cref="ForTerminal"/> to wrap a standard stream only when it is a terminal.
/// </summary>
/// <remarks>
/// <see cref="Flush"/> passes on everything but a carriage return that ended the last write (it waits to see whether a
/// line feed follows); disposing shows it as <c>^M</c> and flushes, without disposing the inner writer.
/// </remarks>
public sealed class VisibleControlsWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly TerminalTextFilter _filter = new();

    /// <summary>Creates a writer that writes to <paramref name="inner"/>.</summary>
    /// <param name="inner">The terminal's writer; it is not disposed with this one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is <see langword="null"/>.</exception>
    public VisibleControlsWriter(TextWriter inner)
        : base(inner?.FormatProvider)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        NewLine = inner.NewLine;
    }

    /// <inheritdoc />
    public override Encoding Encoding => _inner.Encoding;

    /// <summary>Returns <paramref name="writer"/> itself when <paramref name="isRedirected"/> (a file or a pipe gets the text exactly), else a <see cref="VisibleControlsWriter"/> over it.</summary>
    /// <param name="writer">A standard stream's writer, such as <see cref="Console.Out"/>.</param>
    /// <param name="isRedirected">Whether that stream is redirected, such as <see cref="Console.IsOutputRedirected"/>.</param>
    /// <returns>The writer to use.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public static TextWriter ForTerminal(TextWriter writer, bool isRedirected)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return isRedirected ? writer : new VisibleControlsWriter(writer);
    }

    /// <inheritdoc />
    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    /// <inheritdoc />
    public override void Write(string? value) => Write(value.AsSpan());

    /// <inheritdoc />
    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    /// <inheritdoc />
    public override void Write(ReadOnlySpan<char> buffer)
    {
        string visible = _filter.Filter(buffer);
        if (visible.Length > 0)
        {
            _inner.Write(visible);
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(char value) => WriteAsync(value.ToString());

    /// <inheritdoc />
    public override Task WriteAsync(string? value)
    {
        string visible = _filter.Filter(value.AsSpan());
        return visible.Length > 0 ? _inner.WriteAsync(visible) : Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task WriteAsync(char[] buffer, int index, int count) => WriteAsync(buffer.AsMemory(index, count));

    /// <inheritdoc />
    public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        string visible = _filter.Filter(buffer.Span);
        return visible.Length > 0 ? _inner.WriteAsync(visible.AsMemory(), cancellationToken) : Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task WriteLineAsync() => WriteAsync(CoreNewLine);

    /// <inheritdoc />
    public override Task WriteLineAsync(char value) => WriteAsync(value + new string(CoreNewLine));

    /// <inheritdoc />
    public override Task WriteLineAsync(string? value) => WriteAsync(value + new string(CoreNewLine));

    /// <inheritdoc />
    public override Task WriteLineAsync(char[] buffer, int index, int count) => WriteLineAsync(new string(buffer, index, count));

    /// <inheritdoc />
    public override Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default) =>
        WriteAsync((buffer.ToString() + new string(CoreNewLine)).AsMemory(), cancellationToken);

    /// <inheritdoc />
    public override void Flush() => _inner.Flush();

    /// <inheritdoc />
    public override Task FlushAsync() => _inner.FlushAsync();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Write(_filter.Flush());
            _inner.Flush();
        }

        base.Dispose(disposing);
    }
}
