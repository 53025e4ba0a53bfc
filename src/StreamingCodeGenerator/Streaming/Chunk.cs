namespace StreamingCodeGeneration;

/// <summary>A piece of the answer, as the caller receives it.</summary>
/// <remarks>
/// Concatenating <see cref="Text"/> of every chunk of a stream gives the whole answer, exactly: nothing is lost or
/// repeated, even across retries and continuations.
/// </remarks>
public sealed class Chunk
{
    internal Chunk(int index, string text, TimeSpan elapsed, ChunkKind kind, string? language, int blockIndex, string? fileName = null)
    {
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

    /// <summary>Gets the text of this chunk (never empty).</summary>
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
    public bool IsCode => Kind == ChunkKind.Code;

    /// <summary>Returns <see cref="Text"/>.</summary>
    /// <returns>The chunk's text.</returns>
    public override string ToString() => Text;
}
