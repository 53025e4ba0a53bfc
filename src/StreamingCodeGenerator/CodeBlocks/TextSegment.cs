namespace StreamingCodeGeneration;

/// <summary>
/// A piece of streamed text that has one kind, one language and one block index.
/// </summary>
/// <param name="Kind">Prose, code, or a fence line.</param>
/// <param name="Language">The block's language for <see cref="ChunkKind.Code"/> and <see cref="ChunkKind.Fence"/>; <see langword="null"/> for prose or when the fence names none.</param>
/// <param name="BlockIndex">
/// For code and fences, the 0-based index of the block. For prose, the index of the block that follows it, which is
/// the number of blocks opened before it (so prose after the last block has the index the next block would get).
/// </param>
/// <param name="Text">The text, never empty.</param>
/// <param name="Fence">For code and fences, the block's opening fence as parsed; <see langword="null"/> for prose.</param>
/// <param name="ClosesBlock">Whether the segment holds its block's closing fence.</param>
internal readonly record struct TextSegment(ChunkKind Kind, string? Language, int BlockIndex, string Text, CodeFence? Fence = null, bool ClosesBlock = false)
{
    /// <summary>
    /// Segments are equal when their kind, language, block index and text are (the parsed fence and whether it closes
    /// the block are derived from them).
    /// </summary>
    public bool Equals(TextSegment other) =>
        Kind == other.Kind && BlockIndex == other.BlockIndex
        && string.Equals(Language, other.Language, StringComparison.Ordinal) && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Language, BlockIndex, Text);

    /// <summary>Whether <paramref name="other"/> has the same kind, language and block index (text is ignored).</summary>
    public bool HasSameRunAs(in TextSegment other) =>
        Kind == other.Kind && BlockIndex == other.BlockIndex && string.Equals(Language, other.Language, StringComparison.Ordinal);
}
