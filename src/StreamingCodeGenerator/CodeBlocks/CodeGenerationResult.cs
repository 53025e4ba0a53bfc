namespace StreamingCodeGeneration;

/// <summary>A finished generation: the whole answer, its explanation and code blocks, and the final stats.</summary>
public sealed class CodeGenerationResult
{
    internal CodeGenerationResult(string text, string explanation, IReadOnlyList<CodeBlock> codeBlocks, bool hasUnterminatedBlock, StreamStats stats)
    {
        Text = text;
        Explanation = explanation;
        CodeBlocks = codeBlocks;
        Stats = stats;
        IsTruncated = stats.IsTruncated || hasUnterminatedBlock;
    }

    /// <summary>Gets the whole answer exactly as streamed.</summary>
    public string Text { get; }

    /// <summary>Gets the prose: the answer without its code blocks and fence lines.</summary>
    public string Explanation { get; }

    /// <summary>Gets the fenced code blocks, in order.</summary>
    public IReadOnlyList<CodeBlock> CodeBlocks { get; }

    /// <summary>Gets the final stats.</summary>
    public StreamStats Stats { get; }

    /// <summary>Gets the usage the server reported, when it did.</summary>
    public TokenUsage? Usage => Stats.Usage;

    /// <summary>Gets why the model stopped.</summary>
    public FinishReason? FinishReason => Stats.FinishReason;

    /// <summary>
    /// Gets whether the answer is incomplete: the finish reason was <c>length</c> or <c>content_filter</c>, or a code
    /// block was still open when the stream ended (its code is kept, see <see cref="CodeBlock.IsTerminated"/>).
    /// </summary>
    public bool IsTruncated { get; }
}
