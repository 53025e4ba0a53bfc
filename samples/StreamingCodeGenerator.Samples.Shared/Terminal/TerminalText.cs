using System.Globalization;
using System.Text;

namespace StreamingCodeGeneration.Samples;

/// <summary>
/// Makes text from a model or a server safe to show on a terminal: every character a terminal would act on instead of
/// print is written visibly, so an answer cannot set the window title (OSC 0), write the clipboard (OSC 52), clear the
/// screen (<c>ESC[2J</c>), ring the bell, move the cursor or overwrite what was already shown.
/// </summary>
/// <remarks>
/// <para>
/// C0 controls (U+0000–U+001F) other than tab and line feed become caret notation: ESC is <c>^[</c>, BEL <c>^G</c>,
/// backspace <c>^H</c>, NUL <c>^@</c>; DEL (U+007F) is <c>^?</c>. A carriage return is kept only right before a line
/// feed (a CRLF line ending); alone it would return to the start of the line and let later text overwrite it, so it
/// becomes <c>^M</c>. C1 controls (U+0080–U+009F, which some terminals take as 8-bit CSI, OSC, DCS…) become
/// <c>\u009B</c>.
/// </para>
/// <para>
/// The bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) become <c>\u202E</c> as
/// well: they reorder how the rest of a line is displayed, so code shown on the terminal could read differently from the
/// code that is saved or run ("Trojan Source", CVE-2021-42574). Everything else, right-to-left letters included, is
/// printed as it is.
/// </para>
/// <para>Redirected output is not a terminal: write the text as it is there, byte for byte.</para>
/// </remarks>
public static class TerminalText
{
    /// <summary>Gets whether a terminal would act on <paramref name="c"/> rather than print it (tab, line feed and carriage return excluded).</summary>
    /// <param name="c">The character.</param>
    /// <returns><see langword="true"/> for C0 and C1 controls other than tab, line feed and carriage return, DEL, and the bidirectional embedding, override and isolate controls.</returns>
    public static bool IsActive(char c) =>
        (c < ' ' && c is not '\t' and not '\n' and not '\r')
        || c is >= '\u007F' and <= '\u009F'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';

    /// <summary>Returns <paramref name="text"/> with every control a terminal would act on written visibly (see <see cref="TerminalText"/>); a carriage return is kept only before a line feed.</summary>
    /// <param name="text">Complete text, such as a message or a file name.</param>
    /// <returns>The text to show; the same instance when nothing needed changing.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public static string MakeVisible(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = IndexOfSpecial(text);
        if (first < 0)
        {
            return text;
        }

        var visible = new StringBuilder(text.Length + 16);
        visible.Append(text, 0, first);
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r')
            {
                visible.Append(i + 1 < text.Length && text[i + 1] == '\n' ? "\r" : "^M");
            }
            else
            {
                AppendVisible(visible, c);
            }
        }

        return visible.ToString();
    }

    /// <summary>Appends <paramref name="c"/> to <paramref name="builder"/>, visibly when a terminal would act on it (a carriage return as <c>^M</c>).</summary>
    /// <param name="builder">Where to append.</param>
    /// <param name="c">The character.</param>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static void AppendVisible(StringBuilder builder, char c)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (c < ' ' && c is not '\t' and not '\n')
        {
            builder.Append('^').Append((char)(c + '@'));
        }
        else if (c == '\u007F')
        {
            builder.Append("^?");
        }
        else if (IsActive(c))
        {
            builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        else
        {
            builder.Append(c);
        }
    }

    /// <summary>The index of the first character that may need rewriting (an active control or a carriage return), or -1.</summary>
    internal static int IndexOfSpecial(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\r' || IsActive(c))
            {
                return i;
            }
        }

        return -1;
    }
}
