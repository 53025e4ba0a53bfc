using System.Text.Json.Serialization;

namespace StreamingCodeGeneration;

/// <summary>
/// The opening fence of a code block, as the library parsed it once (CommonMark fenced code blocks): its info string,
/// its indentation, and the character and length of its run. Code and fence chunks carry it (<see cref="Chunk.Fence"/>),
/// so a host never reads fence lines itself.
/// </summary>
public sealed class CodeFence
{
    /// <summary>Creates a fence (the library creates them as it streams; hosts and tests may too).</summary>
    /// <param name="infoString">The text after the fence characters, trimmed of spaces and tabs.</param>
    /// <param name="indentation">The fence's indentation in columns.</param>
    /// <param name="character">The fence character: a backtick or a tilde.</param>
    /// <param name="length">How many fence characters open the block (at least 3).</param>
    /// <exception cref="ArgumentNullException"><paramref name="infoString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="indentation"/> is negative, <paramref name="character"/> is neither <c>`</c> nor <c>~</c>, or
    /// <paramref name="length"/> is less than 3.
    /// </exception>
    [JsonConstructor]
    public CodeFence(string infoString, int indentation, char character, int length)
    {
        ArgumentNullException.ThrowIfNull(infoString);
        ArgumentOutOfRangeException.ThrowIfNegative(indentation);
        if (character is not ('`' or '~'))
        {
            throw new ArgumentOutOfRangeException(nameof(character), character, "A code fence is made of backticks (`) or tildes (~).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(length, 3);
        InfoString = infoString;
        Indentation = indentation;
        Character = character;
        Length = length;
    }

    /// <summary>
    /// Gets the info string: the text after the fence characters, trimmed of spaces and tabs
    /// (<c>python title="sort.py"</c>); the same as <see cref="CodeBlock.InfoString"/>.
    /// </summary>
    /// <value>An empty string when the fence has none.</value>
    public string InfoString { get; }

    /// <summary>
    /// Gets the fence's indentation in columns (a tab counts to the next multiple of four). Up to this many spaces are
    /// removed from the start of each code line, as CommonMark does and <see cref="CodeBlock.Code"/> shows.
    /// </summary>
    public int Indentation { get; }

    /// <summary>Gets the fence character: <c>`</c> or <c>~</c>. Only a run of the same character closes the block.</summary>
    public char Character { get; }

    /// <summary>Gets how many fence characters open the block; a closing fence has at least as many.</summary>
    public int Length { get; }

    /// <summary>
    /// Returns the shortest backtick fence (at least three) that no line of <paramref name="content"/> can close: one
    /// longer than the longest run of backticks that starts a line after up to three spaces. Use it to put text that
    /// may itself hold fences (a README, a diff) into a prompt as one block.
    /// </summary>
    /// <param name="content">The text to enclose.</param>
    /// <returns>The fence, for example <c>```</c> or <c>````</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    public static string BackticksFor(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        int longest = 0;
        int lineStart = 0;
        while (lineStart < content.Length)
        {
            // "The closing code fence may be preceded by up to three spaces of indentation."
            int i = lineStart;
            int spaces = 0;
            while (i < content.Length && content[i] == ' ' && spaces < 3)
            {
                i++;
                spaces++;
            }

            int run = 0;
            while (i < content.Length && content[i] == '`')
            {
                i++;
                run++;
            }

            longest = Math.Max(longest, run);
            int newline = content.AsSpan(i).IndexOfAny('\n', '\r');
            lineStart = newline < 0 ? content.Length : i + newline + 1;
        }

        return new string('`', Math.Max(3, longest + 1));
    }

    /// <summary>Returns the opening fence line, normalized: the indentation as spaces, the fence run, the info string.</summary>
    /// <returns>For example <c>```python title="sort.py"</c>.</returns>
    public override string ToString() =>
        string.Concat(new string(' ', Indentation), new string(Character, Length), InfoString);
}
