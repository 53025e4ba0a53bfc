using System.Text.Json.Serialization;

namespace StreamingCodeGeneration;

/// <summary>A piece of the answer, as the caller receives it.</summary>
/// <remarks>
/// Concatenating <see cref="Text"/> of every chunk of a stream gives the whole answer, exactly: nothing is lost or
/// repeated, even across retries and continuations.
/// </remarks>
public sealed class Chunk
{
    /// <summary>Creates a chunk (the library creates them as it streams; hosts and tests may too, for example to re-serve them).</summary>
    /// <param name="index">The 0-based position among the chunks of a stream.</param>
    /// <param name="text">The text (not empty).</param>
    /// <param name="elapsed">The time from the start of the generation to the chunk's arrival.</param>
    /// <param name="kind">Explanation, code, fence or reasoning.</param>
    /// <param name="language">The code block's language, for code and fence chunks.</param>
    /// <param name="blockIndex">The code block the chunk belongs to (see <see cref="BlockIndex"/>).</param>
    /// <param name="fileName">The code block's file name, when it names one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> or <paramref name="blockIndex"/> is negative.</exception>
    [JsonConstructor]
    public Chunk(int index, string text, TimeSpan elapsed, ChunkKind kind = ChunkKind.Explanation, string? language = null, int blockIndex = 0, string? fileName = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(blockIndex);
        FileName = fileName;
        Index = index;
        Text = text;
        Elapsed = elapsed;
        Kind = kind;
        Language = language;
        BlockIndex = blockIndex;
    }

    /// <summary>Gets the 0-based position of this chunk among the chunks the caller received.</summary>
    public int Index { get; }

    /// <summary>Gets the text of this chunk (never empty when the library made it).</summary>
    public string Text { get; }

    /// <summary>Gets the time from the start of the generation to the arrival of this chunk.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Gets whether this chunk is explanation, code, or a code fence line.</summary>
    public ChunkKind Kind { get; }

    /// <summary>Gets the language named by the code fence's info string, when <see cref="Kind"/> is code or fence.</summary>
    public string? Language { get; }

    /// <summary>
    /// Gets the 0-based index of the code block this chunk belongs to. For explanation, the index of the block that
    /// follows it (the number of blocks opened before it), so prose after the last block has the next index.
    /// </summary>
    public int BlockIndex { get; }

    /// <summary>
    /// Gets the file name the answer gives this chunk's code block (<c>```python title="sort.py"</c>,
    /// <c>```python:src/sort.py</c>, or a file-name line just before the fence; see <see cref="CodeBlock.FileName"/>),
    /// on code and fence chunks once the opening fence line is complete, so a host can show which file is being
    /// written while it streams.
    /// </summary>
    /// <value><see langword="null"/> for explanation, or when the block names no file.</value>
    public string? FileName { get; }

    /// <summary>Gets whether this chunk is code (the content of a fenced block, fence lines excluded).</summary>
    [JsonIgnore]
    public bool IsCode => Kind == ChunkKind.Code;

    /// <summary>Returns <see cref="Text"/>.</summary>
    /// <returns>The chunk's text.</returns>
    public override string ToString() => Text;
}
