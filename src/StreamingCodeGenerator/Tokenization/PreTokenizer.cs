using System.Globalization;
using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration;

/// <summary>
/// A hand-written, code-point-aware implementation of tiktoken's split regexes. .NET's <c>Regex</c> matches UTF-16
/// code units, so <c>\p{L}</c> never matches a surrogate pair; this scanner decodes code points, treats a lone
/// surrogate as U+FFFD (as tiktoken does after its UTF-8 conversion) and reproduces the backtracking behaviour of
/// each alternative exactly.
/// </summary>
/// <remarks>
/// <para>o200k_base:</para>
/// <code>
/// [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
/// |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
/// |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
/// </code>
/// <para>cl100k_base:</para>
/// <code>
/// (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
/// </code>
/// <para>
/// Every method takes <c>ref bool hitEnd</c> and sets it when the match looked for a character at or past the end of
/// the input (including a high surrogate in the last position, whose meaning depends on the next code unit). A piece
/// matched without touching the end is identical in every extension of the input; <see cref="IncrementalTokenCounter"/>
/// relies on that to finalise pieces.
/// </para>
/// </remarks>
internal static class PreTokenizer
{
    /// <summary>\p{L}.</summary>
    private const int Letter = 1;

    /// <summary>\p{N}.</summary>
    private const int Number = 2;

    /// <summary>\s (Unicode White_Space).</summary>
    private const int Space = 4;

    /// <summary>[\r\n].</summary>
    private const int NewLine = 8;

    /// <summary>o200k's "upper" class [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}].</summary>
    private const int Upper = 16;

    /// <summary>o200k's "lower" class [\p{Ll}\p{Lm}\p{Lo}\p{M}].</summary>
    private const int Lower = 32;

    /// <summary>A UTF-16 surrogate code unit: the code point must be decoded.</summary>
    private const int Surrogate = 64;

    /// <summary>The end of the input: no class matches.</summary>
    private const int End = 128;

    private static readonly byte[] s_bmp = BuildBmpTable();

    /// <summary>Returns the end of the o200k_base piece that starts at <paramref name="start"/> (which is inside <paramref name="text"/>).</summary>
    public static int NextO200k(ReadOnlySpan<char> text, int start, ref bool hitEnd)
    {
        int f0 = Classify(text, start, out int w0, ref hitEnd);
        int end;
        if ((f0 & Letter) != 0)
        {
            end = O200kLetters(text, start, ref hitEnd);
            if (end < 0)
            {
                end = O200kUpperThenLower(text, start, ref hitEnd);
            }

            return O200kContraction(text, end, ref hitEnd);
        }

        if ((f0 & Number) != 0)
        {
            return Digits(text, start + w0, ref hitEnd);
        }

        if ((f0 & NewLine) == 0)
        {
            // [^\r\n\p{L}\p{N}] prefix, then letters; without the prefix only a mark (in both letter classes) can start.
            int afterPrefix = start + w0;
            end = O200kLetters(text, afterPrefix, ref hitEnd);
            if (end < 0 && (f0 & (Upper | Lower)) != 0)
            {
                end = O200kLetters(text, start, ref hitEnd);
            }

            if (end < 0 && (Classify(text, afterPrefix, out _, ref hitEnd) & Upper) != 0)
            {
                end = O200kUpperThenLower(text, afterPrefix, ref hitEnd);
            }

            if (end >= 0)
            {
                return O200kContraction(text, end, ref hitEnd);
            }
        }

        end = Punctuation(text, start, f0, w0, slashes: true, ref hitEnd);
        return end >= 0 ? end : Whitespace(text, start, ref hitEnd);
    }

    /// <summary>Returns the end of the cl100k_base piece that starts at <paramref name="start"/> (which is inside <paramref name="text"/>).</summary>
    public static int NextCl100k(ReadOnlySpan<char> text, int start, ref bool hitEnd)
    {
        int f0 = Classify(text, start, out int w0, ref hitEnd);
        if ((f0 & Letter) != 0)
        {
            return RunOf(text, start + w0, Letter, ref hitEnd);
        }

        if ((f0 & Number) != 0)
        {
            return Digits(text, start + w0, ref hitEnd);
        }

        if (text[start] == '\'')
        {
            int length = ContractionLength(text, start, ref hitEnd);
            if (length > 0)
            {
                return start + length;
            }
        }

        if ((f0 & NewLine) == 0)
        {
            int f1 = Classify(text, start + w0, out int w1, ref hitEnd);
            if ((f1 & Letter) != 0)
            {
                return RunOf(text, start + w0 + w1, Letter, ref hitEnd);
            }
        }

        int end = Punctuation(text, start, f0, w0, slashes: false, ref hitEnd);
        return end >= 0 ? end : Whitespace(text, start, ref hitEnd);
    }

    /// <summary>
    /// <c>[Upper]*[Lower]+</c> from <paramref name="start"/> with the regex's backtracking: when the upper run is not
    /// followed by a lower character, the match ends after the last character of the run that is also lower.
    /// </summary>
    /// <returns>The end of the match, or -1 when it fails.</returns>
    private static int O200kLetters(ReadOnlySpan<char> text, int start, ref bool hitEnd)
    {
        int i = start;
        int lastLowerEnd = -1;
        while (true)
        {
            int f = Classify(text, i, out int w, ref hitEnd);
            if ((f & Upper) == 0)
            {
                return (f & Lower) != 0 ? RunOf(text, i + w, Lower, ref hitEnd) : lastLowerEnd;
            }

            i += w;
            if ((f & Lower) != 0)
            {
                lastLowerEnd = i;
            }
        }
    }

    /// <summary><c>[Upper]+[Lower]*</c>; the caller has checked that the first character is upper.</summary>
    private static int O200kUpperThenLower(ReadOnlySpan<char> text, int start, ref bool hitEnd)
        => RunOf(text, RunOf(text, start, Upper, ref hitEnd), Lower, ref hitEnd);

    /// <summary>The optional <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)?</c> after o200k letters.</summary>
    private static int O200kContraction(ReadOnlySpan<char> text, int end, ref bool hitEnd)
    {
        if ((uint)end >= (uint)text.Length)
        {
            hitEnd = true;
            return end;
        }

        return text[end] == '\'' ? end + ContractionLength(text, end, ref hitEnd) : end;
    }

    /// <summary>Length of <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)</c> at <paramref name="quote"/> (an apostrophe), or 0.</summary>
    private static int ContractionLength(ReadOnlySpan<char> text, int quote, ref bool hitEnd)
    {
        if (quote + 1 >= text.Length)
        {
            hitEnd = true;
            return 0;
        }

        // Case-insensitive with Unicode simple case folding: 's' also matches U+017F LATIN SMALL LETTER LONG S.
        char c = text[quote + 1];
        switch (c | 0x20)
        {
            case 's':
            case 't':
            case 'm':
            case 'd':
                return 2;
            case 'r':
            case 'v':
                return SecondLetter(text, quote + 2, 'e', ref hitEnd);
            case 'l':
                return SecondLetter(text, quote + 2, 'l', ref hitEnd);
            default:
                return c == '\u017F' ? 2 : 0;
        }

        static int SecondLetter(ReadOnlySpan<char> text, int index, char lower, ref bool hitEnd)
        {
            if (index >= text.Length)
            {
                hitEnd = true;
                return 0;
            }

            return (text[index] | 0x20) == lower ? 3 : 0;
        }
    }

    /// <summary><c>\p{N}{1,3}</c> after the first digit.</summary>
    private static int Digits(ReadOnlySpan<char> text, int i, ref bool hitEnd)
    {
        for (int k = 1; k < 3; k++)
        {
            int f = Classify(text, i, out int w, ref hitEnd);
            if ((f & Number) == 0)
            {
                break;
            }

            i += w;
        }

        return i;
    }

    /// <summary><c> ?[^\s\p{L}\p{N}]+[\r\n]*</c> (o200k also takes <c>/</c> in the tail).</summary>
    /// <returns>The end of the match, or -1 when it fails.</returns>
    private static int Punctuation(ReadOnlySpan<char> text, int start, int f0, int w0, bool slashes, ref bool hitEnd)
    {
        const int NotOther = Letter | Number | Space | End;
        int i;
        if ((f0 & NotOther) == 0)
        {
            i = start + w0;
        }
        else if (text[start] == ' ' && (Classify(text, start + 1, out int w1, ref hitEnd) & NotOther) == 0)
        {
            i = start + 1 + w1;
        }
        else
        {
            return -1;
        }

        while (true)
        {
            int f = Classify(text, i, out int w, ref hitEnd);
            if ((f & NotOther) != 0)
            {
                break;
            }

            i += w;
        }

        while (true)
        {
            if (i >= text.Length)
            {
                hitEnd = true;
                return i;
            }

            char c = text[i];
            if (c != '\r' && c != '\n' && !(slashes && c == '/'))
            {
                return i;
            }

            i++;
        }
    }

    /// <summary><c>\s*[\r\n]+|\s+(?!\S)|\s+</c>; the caller has checked that the first character is white space.</summary>
    private static int Whitespace(ReadOnlySpan<char> text, int start, ref bool hitEnd)
    {
        int i = start;
        int lastNewLineEnd = -1;
        int f;
        while (true)
        {
            f = Classify(text, i, out int w, ref hitEnd);
            if ((f & Space) == 0)
            {
                break;
            }

            i += w;
            if ((f & NewLine) != 0)
            {
                lastNewLineEnd = i;
            }
        }

        if (lastNewLineEnd >= 0)
        {
            return lastNewLineEnd;
        }

        if ((f & End) != 0 || i - start < 2)
        {
            return i;
        }

        // \s+(?!\S) gives back the last white-space character so that it can prefix the next word.
        return i - 1;
    }

    private static int RunOf(ReadOnlySpan<char> text, int i, int mask, ref bool hitEnd)
    {
        while (true)
        {
            int f = Classify(text, i, out int w, ref hitEnd);
            if ((f & mask) == 0)
            {
                return i;
            }

            i += w;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Classify(ReadOnlySpan<char> text, int i, out int width, ref bool hitEnd)
    {
        if ((uint)i >= (uint)text.Length)
        {
            hitEnd = true;
            width = 0;
            return End;
        }

        int f = s_bmp[text[i]];
        width = 1;
        return (f & Surrogate) == 0 ? f : ClassifySurrogate(text, i, out width, ref hitEnd);
    }

    private static int ClassifySurrogate(ReadOnlySpan<char> text, int i, out int width, ref bool hitEnd)
    {
        width = 1;
        char c = text[i];
        if (char.IsHighSurrogate(c))
        {
            if (i + 1 >= text.Length)
            {
                // Lone for now; the low half may still arrive.
                hitEnd = true;
            }
            else if (char.IsLowSurrogate(text[i + 1]))
            {
                width = 2;
                return FromCategory(CharUnicodeInfo.GetUnicodeCategory(char.ConvertToUtf32(c, text[i + 1])));
            }
        }

        // A lone surrogate becomes U+FFFD REPLACEMENT CHARACTER (So): punctuation-like.
        return 0;
    }

    private static byte[] BuildBmpTable()
    {
        var table = new byte[65536];
        for (int c = 0; c < table.Length; c++)
        {
            table[c] = (byte)FromCategory(CharUnicodeInfo.GetUnicodeCategory((char)c));
        }

        // Unicode White_Space, which is what \s means in tiktoken's (Rust) regex engine.
        ReadOnlySpan<char> whiteSpace = "\t\n\v\f\r \u0085\u00A0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A\u2028\u2029\u202F\u205F\u3000";
        foreach (char c in whiteSpace)
        {
            table[c] = Space;
        }

        table['\r'] = Space | NewLine;
        table['\n'] = Space | NewLine;
        return table;
    }

    private static int FromCategory(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => Letter | Upper,
        UnicodeCategory.LowercaseLetter => Letter | Lower,
        UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => Letter | Upper | Lower,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Upper | Lower,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => Number,
        UnicodeCategory.Surrogate => Surrogate,
        _ => 0,
    };
}
