namespace StreamingCodeGeneration;

/// <summary>
/// What every chunk of one code block shares: its language, its file name and its opening fence. Made once per block,
/// so a chunk holds one reference to them instead of three.
/// </summary>
internal sealed class BlockAttributes
{
    public BlockAttributes(string? language, string? fileName, CodeFence? fence)
    {
        Language = language;
        FileName = fileName;
        Fence = fence;
    }

    public string? Language { get; }

    public string? FileName { get; }

    public CodeFence? Fence { get; }

    /// <summary>The attributes for a chunk made by a host from its parts; <see langword="null"/> when it has none.</summary>
    public static BlockAttributes? Of(string? language, string? fileName, CodeFence? fence) =>
        language is null && fileName is null && fence is null ? null : new BlockAttributes(language, fileName, fence);
}
