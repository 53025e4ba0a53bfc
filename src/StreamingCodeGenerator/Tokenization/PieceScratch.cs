namespace StreamingCodeGeneration;

/// <summary>Per-thread scratch buffers for encoding one pre-tokenizer piece (UTF-8 bytes, merge state, merge caches).</summary>
internal sealed class PieceScratch
{
    /// <summary>Pieces up to this many chars use these buffers; longer ones rent from the array pool.</summary>
    public const int MaxChars = 256;

    /// <summary>Gets the UTF-8 buffer: three bytes per char at most.</summary>
    public byte[] Bytes { get; } = new byte[MaxChars * 3];

    private MergeCache? _o200kCache;
    private MergeCache? _cl100kCache;

    /// <summary>Gets the merge buffer: <c>2 * (bytes + 1)</c> entries.</summary>
    public int[] Work { get; } = new int[2 * ((MaxChars * 3) + 1)];

    /// <summary>Gets this thread's merge cache for <paramref name="encoding"/>, creating it on first use.</summary>
    public MergeCache GetCache(TokenizerEncoding encoding) => encoding == TokenizerEncoding.O200kBase
        ? _o200kCache ??= new MergeCache()
        : _cl100kCache ??= new MergeCache();
}
