using System.Globalization;
using System.Text;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// Follows the terminal column the streamed text has reached, closely enough to tell when the cursor may sit in the
/// last column waiting to wrap: drawing the status line then would make the next character overwrite that column.
/// </summary>
internal sealed class ColumnTracker
{
    /// <summary>Gets the cells written since the last line break (a wrapped line keeps counting).</summary>
    public int Column { get; private set; }

    public void Advance(string text)
    {
        foreach (Rune rune in text.EnumerateRunes())
        {
            Column = rune.Value switch
            {
                '\n' or '\r' => 0,
                '\t' => ((Column / 8) + 1) * 8,
                _ => Column + Width(rune),
            };
        }
    }

    /// <summary>Whether the text ends exactly at the right edge of a terminal <paramref name="width"/> cells wide.</summary>
    public bool AtRightEdge(int width) => Column > 0 && width > 0 && Column % width == 0;

    /// <summary>Terminal cells a character takes: 0 for controls and combining marks, 2 for East Asian wide characters and emoji, else 1.</summary>
    public static int Width(Rune rune)
    {
        int value = rune.Value;
        if (value < 0x20 || (value >= 0x7F && value < 0xA0))
        {
            return 0;
        }

        UnicodeCategory category = Rune.GetUnicodeCategory(rune);
        if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format)
        {
            return 0;
        }

        bool wide = value is (>= 0x1100 and <= 0x115F) or (>= 0x2E80 and <= 0xA4CF) or (>= 0xAC00 and <= 0xD7A3)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0xFE30 and <= 0xFE4F) or (>= 0xFF00 and <= 0xFF60) or (>= 0xFFE0 and <= 0xFFE6)
            or (>= 0x1F300 and <= 0x1F64F) or (>= 0x1F900 and <= 0x1F9FF) or (>= 0x20000 and <= 0x3FFFD);
        return wide ? 2 : 1;
    }
}
