using System.Text.Json.Serialization;

namespace StreamingCodeGeneration;

/// <summary>
/// A fenced code block of a completed answer.
/// </summary>
public sealed class CodeBlock
{
    /// <summary>Creates a code block (the library creates them from an answer; hosts and tests may too).</summary>
    /// <param name="index">The 0-based index of the block in the answer.</param>
    /// <param name="language">The language named by the info string.</param>
    /// <param name="code">The code between the fences.</param>
    /// <param name="fileName">The file name the answer gives the block.</param>
    /// <param name="infoString">The opening fence's info string.</param>
    /// <param name="isTerminated">Whether a closing fence ended the block.</param>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> or <paramref name="infoString"/> is <see langword="null"/>.</exception>
    [JsonConstructor]
    public CodeBlock(int index, string? language, string code, string? fileName, string infoString, bool isTerminated)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(infoString);
        Index = index;
        Language = language;
        Code = code;
        FileName = fileName;
        InfoString = infoString;
        IsTerminated = isTerminated;
    }

    /// <summary>
    /// Gets the 0-based index of the block in the answer; the same value as the <c>BlockIndex</c> of its chunks.
    /// </summary>
    public int Index { get; }

    /// <summary>
    /// Gets the language: the first word of the info string (<c>```python title="sort.py"</c> gives <c>python</c>,
    /// <c>```python:src/sort.py</c> gives <c>python</c>), as written.
    /// </summary>
    /// <value><see langword="null"/> when the fence has no info string or its first word is a file name (<c>```sort.py</c>).</value>
    public string? Language { get; }

    /// <summary>
    /// Gets the code: every line between the fences, each with its line ending as received (so it normally ends with
    /// the newline before the closing fence), without the fence lines. When the opening fence is indented N spaces,
    /// up to N spaces are removed from the start of each line, as CommonMark does.
    /// </summary>
    /// <value>An empty string for an empty block. For an unterminated block, all code received; it ends without a
    /// line ending when the stream did.</value>
    public string Code { get; }

    /// <summary>
    /// Gets the file name the answer gives the block, from the info string (<c>title="sort.py"</c>,
    /// <c>filename=sort.py</c>, <c>file=</c>, <c>path=</c>, <c>```sort.py</c>, <c>```python:src/sort.py</c>) or else
    /// from the last non-empty prose line just before the fence when that line is only a file name with decoration
    /// (<c>**`sort.py`**</c>, <c>File: sort.py</c>, <c>`src/app/main.py`:</c>, <c>### sort.py</c>).
    /// </summary>
    /// <value><see langword="null"/> when no path with an extension (or <c>Dockerfile</c>, <c>Makefile</c>) is named.</value>
    public string? FileName { get; }

    /// <summary>
    /// Gets the info string: the text after the opening fence's characters, trimmed of spaces and tabs.
    /// </summary>
    /// <value>An empty string when the fence has none.</value>
    public string InfoString { get; }

    /// <summary>
    /// Gets a value indicating whether a closing fence ended the block; <see langword="false"/> when the stream
    /// ended inside it.
    /// </summary>
    public bool IsTerminated { get; }
}
