namespace StreamingCodeGeneration;

/// <summary>
/// How the text of the answer is cut into chunks.
/// </summary>
/// <remarks>
/// Whatever the granularity, concatenating the text of all chunks gives the answer exactly, and no chunk spans
/// two kinds or two code blocks.
/// </remarks>
public enum ChunkGranularity
{
    /// <summary>
    /// One chunk per delta received from the server (split only where the kind changes). This is the default value
    /// and has the lowest latency.
    /// </summary>
    Delta = 0,

    /// <summary>
    /// Whole lines: every chunk ends with a line ending, except the last chunk of each run of one kind or block
    /// (and the last chunk of the stream), which carries whatever text remains.
    /// </summary>
    Line = 1,

    /// <summary>
    /// Whole words: text is cut after each run of white space, so every chunk is a word followed by the white space
    /// after it, except the last chunk of each run of one kind or block.
    /// </summary>
    Word = 2,
}
