using System.Text.Json.Serialization;

namespace StreamingCodeGeneration;

/// <summary>A piece of the answer, as the caller receives it.</summary>
/// <remarks>
/// Concatenating <see cref="Text"/> of every chunk of a stream gives the whole answer, exactly: nothing is lost or
/// repeated, even across retries and continuations.
/// </remarks>
public sealed class Chunk
{
    // What the chunks of one block share, made once per block (one reference per chunk, not three).
    private readonly BlockAttributes? _block;

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
    public Chunk(int index, string text, TimeSpan elapsed, ChunkKind kind = ChunkKind.Explanation, string? language = null, int blockIndex = 0, string? fileName = null)
        : this(index, text, elapsed, kind, language, blockIndex, fileName, fence: null, closesBlock: false)
    {
    }

    /// <summary>Creates a chunk of a code block with its opening fence (see <see cref="Fence"/> and <see cref="ClosesBlock"/>).</summary>
    /// <param name="index">The 0-based position among the chunks of a stream.</param>
    /// <param name="text">The text (not empty).</param>
    /// <param name="elapsed">The time from the start of the generation to the chunk's arrival.</param>
    /// <param name="kind">Explanation, code, fence or reasoning.</param>
    /// <param name="language">The code block's language, for code and fence chunks.</param>
    /// <param name="blockIndex">The code block the chunk belongs to (see <see cref="BlockIndex"/>).</param>
    /// <param name="fileName">The code block's file name, when it names one.</param>
    /// <param name="fence">The code block's opening fence, for code and fence chunks.</param>
    /// <param name="closesBlock">Whether the chunk holds the block's closing fence.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> or <paramref name="blockIndex"/> is negative.</exception>
    [JsonConstructor]
    public Chunk(int index, string text, TimeSpan elapsed, ChunkKind kind, string? language, int blockIndex, string? fileName, CodeFence? fence, bool closesBlock)
        : this(index, text, elapsed, kind, blockIndex, BlockAttributes.Of(language, fileName, fence), closesBlock)
    {
    }

    internal Chunk(int index, string text, TimeSpan elapsed, ChunkKind kind, int blockIndex, BlockAttributes? block, bool closesBlock)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(blockIndex);
        Index = index;
        Text = text;
        Elapsed = elapsed;
        Kind = kind;
        BlockIndex = blockIndex;
        _block = block;
        ClosesBlock = closesBlock;
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
    public string? Language => _block?.Language;

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
    public string? FileName => _block?.FileName;

    /// <summary>
    /// Gets the opening fence of this chunk's code block: its info string (for attributes a host's own protocol adds,
    /// such as <c>path=</c>), its indentation (how many spaces to strip from each code line), and its character and
    /// length. On code and fence chunks: an opening fence line is released whole, so the first chunk of a block has it.
    /// </summary>
    /// <value><see langword="null"/> for explanation and reasoning.</value>
    public CodeFence? Fence => _block?.Fence;

    /// <summary>
    /// Gets whether this chunk holds its code block's closing fence (the line ending may follow in the next chunk): the
    /// block is complete, and a host can finish what it does with it. An empty block's opening and closing fences may
    /// come in one chunk.
    /// </summary>
    /// <value><see langword="false"/> for every other chunk; a block the answer ended inside has none
    /// (<see cref="CodeBlock.IsTerminated"/> is <see langword="false"/>).</value>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ClosesBlock { get; }

    /// <summary>Gets whether this chunk is code (the content of a fenced block, fence lines excluded).</summary>
    [JsonIgnore]
    public bool IsCode => Kind == ChunkKind.Code;

    /// <summary>Returns <see cref="Text"/>.</summary>
    /// <returns>The chunk's text.</returns>
    public override string ToString() => Text;
}
