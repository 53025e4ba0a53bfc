using System.Text;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// Keeps one status line on the terminal row below the streamed text, without ever redrawing the text.
/// </summary>
/// <remarks>
/// <para>
/// The text is written as it arrives, once. The status line is drawn under it with plain ANSI/VT100 controls: IND
/// (<c>ESC D</c>) then RI (<c>ESC M</c>) make sure a row exists below the text, scrolling the screen first if the
/// text is on the last row, while keeping the column; DECSC (<c>ESC 7</c>) saves the text's cursor; IND, CR and EL
/// (<c>ESC [2K</c>) move to the empty row below and clear it; the status is written; DECRC (<c>ESC 8</c>) puts the
/// cursor back at the end of the text. Before more text, ED (<c>ESC [J</c>) erases from the cursor to the end of the
/// screen, which is the status row only, and the status is drawn again after the text, in the same write, so the
/// terminal never shows a frame without it (no flicker). Nothing above the cursor is ever touched.
/// </para>
/// <para>
/// Each operation is one write under a lock: the streaming loop and the spinner timer share it. When the text may end
/// in the last column (the terminal waits to wrap), the status is not drawn until more text moves the cursor on.
/// </para>
/// </remarks>
internal sealed class StatusLineRenderer
{
    public const string Erase = "\u001b[J";
    public const string HideCursor = "\u001b[?25l";
    public const string ShowCursor = "\u001b[?25h";
    private const string OpenRowBelow = "\u001bD\u001bM\u001b7\u001bD\r\u001b[2K";
    private const string BackToText = "\u001b8";

    private readonly TextWriter _writer;
    private readonly Func<int> _width;
    private readonly bool _colour;
    private readonly ColumnTracker _column = new();
    private readonly object _gate = new();
    private string _status = string.Empty;
    private bool _visible;
    private bool _started;
    private bool _stopped;

    /// <param name="writer">The terminal.</param>
    /// <param name="width">The terminal's width in cells, read at each draw (it may be resized).</param>
    /// <param name="colour">Whether the status is drawn dim.</param>
    public StatusLineRenderer(TextWriter writer, Func<int> width, bool colour)
    {
        _writer = writer;
        _width = width;
        _colour = colour;
    }

    /// <summary>
    /// Writes streamed text (already styled) above the status line, then the status again (<paramref name="status"/>
    /// when given); <paramref name="text"/> is the same text unstyled.
    /// </summary>
    public void WriteText(string styled, string text, string? status = null)
    {
        lock (_gate)
        {
            _status = status ?? _status;
            var output = new StringBuilder(styled.Length + _status.Length + 32);
            Begin(output);
            if (_visible)
            {
                output.Append(Erase);
                _visible = false;
            }

            output.Append(styled);
            _column.Advance(text);
            AppendStatus(output);
            Flush(output);
        }
    }

    /// <summary>Replaces the status text and redraws it.</summary>
    public void Update(string status)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _status = status;
            var output = new StringBuilder(status.Length + 32);
            Begin(output);

            if (_visible)
            {
                output.Append(Erase);
                _visible = false;
            }

            AppendStatus(output);
            Flush(output);
        }
    }

    /// <summary>Removes the status line for good and shows the cursor again; text written afterwards goes straight through.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            var output = new StringBuilder();
            if (_visible)
            {
                output.Append(Erase);
                _visible = false;
            }

            if (_started)
            {
                output.Append(ShowCursor);
            }

            Flush(output);
        }
    }

    private void Begin(StringBuilder output)
    {
        if (!_started && !_stopped)
        {
            output.Append(HideCursor);
            _started = true;
        }
    }

    private void AppendStatus(StringBuilder output)
    {
        int width = Math.Max(_width(), 10);
        if (_stopped || _status.Length == 0 || _column.AtRightEdge(width))
        {
            return;
        }

        // One cell short of the width: a full row would leave the cursor waiting to wrap, and a longer one would wrap.
        string status = _status.Length >= width ? _status[..(width - 1)] : _status;
        output.Append(OpenRowBelow);
        if (_colour)
        {
            output.Append(AnswerStyle.Dim).Append(status).Append(AnswerStyle.Reset);
        }
        else
        {
            output.Append(status);
        }

        output.Append(BackToText);
        _visible = true;
    }

    private void Flush(StringBuilder output)
    {
        if (output.Length > 0)
        {
            _writer.Write(output.ToString());
            _writer.Flush();
        }
    }
}
