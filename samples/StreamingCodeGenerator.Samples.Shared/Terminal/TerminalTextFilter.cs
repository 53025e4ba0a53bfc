using System.Text;

namespace StreamingCodeGeneration.Samples;

/// <summary>
/// <see cref="TerminalText.MakeVisible"/> for text that arrives in pieces (a streamed answer): a carriage return at the
/// end of a piece is held until the next piece shows whether a line feed follows it (a CRLF line ending, kept) or not
/// (<c>^M</c>). Call <see cref="Flush"/> when the text ends.
/// </summary>
/// <remarks>Not thread-safe: one stream, one filter, one writer at a time.</remarks>
public sealed class TerminalTextFilter
{
    private bool _heldCarriageReturn;

    /// <summary>Gets whether a carriage return at the end of the last piece is waiting for the next piece.</summary>
    public bool IsHoldingCarriageReturn => _heldCarriageReturn;

    /// <summary>Returns what to show for the next piece of text (possibly empty, when it is only a carriage return).</summary>
    /// <param name="text">The next piece.</param>
    /// <returns>The piece made visible, preceded by a held carriage return's form.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public string Filter(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Filter(text.AsSpan(), text);
    }

    /// <summary>Returns what to show for the next piece of text (possibly empty, when it is only a carriage return).</summary>
    /// <param name="text">The next piece.</param>
    /// <returns>The piece made visible, preceded by a held carriage return's form.</returns>
    public string Filter(ReadOnlySpan<char> text) => Filter(text, original: null);

    /// <summary>Ends the text: a carriage return still held is shown as <c>^M</c>.</summary>
    /// <returns><c>^M</c>, or an empty string.</returns>
    public string Flush()
    {
        if (!_heldCarriageReturn)
        {
            return string.Empty;
        }

        _heldCarriageReturn = false;
        return "^M";
    }

    private string Filter(ReadOnlySpan<char> text, string? original)
    {
        if (text.IsEmpty)
        {
            return string.Empty;
        }

        int first = TerminalText.IndexOfSpecial(text);
        if (first < 0 && !_heldCarriageReturn)
        {
            return original ?? text.ToString();
        }

        var visible = new StringBuilder(text.Length + 8);
        if (_heldCarriageReturn)
        {
            _heldCarriageReturn = false;
            visible.Append(text[0] == '\n' ? "\r" : "^M");
        }

        if (first < 0)
        {
            visible.Append(text);
            return visible.ToString();
        }

        visible.Append(text[..first]);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '\r')
            {
                TerminalText.AppendVisible(visible, c);
            }
            else if (i + 1 == text.Length)
            {
                _heldCarriageReturn = true;
            }
            else
            {
                visible.Append(text[i + 1] == '\n' ? "\r" : "^M");
            }
        }

        return visible.ToString();
    }
}
