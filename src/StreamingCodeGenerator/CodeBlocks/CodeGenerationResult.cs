using System.Text.Json.Serialization;

namespace StreamingCodeGeneration;

/// <summary>A finished generation: the whole answer, its explanation and code blocks, and the final stats.</summary>
public sealed class CodeGenerationResult
{
    /// <summary>Creates a result (the library creates them when a generation completes; hosts and tests may too).</summary>
    /// <param name="text">The whole answer.</param>
    /// <param name="explanation">The prose without the code blocks.</param>
    /// <param name="codeBlocks">The code blocks, in order.</param>
    /// <param name="stats">The final stats.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    [JsonConstructor]
    public CodeGenerationResult(string text, string explanation, IReadOnlyList<CodeBlock> codeBlocks, StreamStats stats)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(explanation);
        ArgumentNullException.ThrowIfNull(codeBlocks);
        ArgumentNullException.ThrowIfNull(stats);
        Text = text;
        Explanation = explanation;
        CodeBlocks = codeBlocks;
        Stats = stats;
        IsTruncated = stats.IsTruncated || (codeBlocks.Count > 0 && !codeBlocks[^1].IsTerminated);
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
    [JsonIgnore]
    public TokenUsage? Usage => Stats.Usage;

    /// <summary>Gets why the model stopped.</summary>
    [JsonIgnore]
    public FinishReason? FinishReason => Stats.FinishReason;

    /// <summary>
    /// Gets whether the answer is incomplete: the finish reason was <c>length</c> or <c>content_filter</c>, or a code
    /// block was still open when the stream ended (its code is kept, see <see cref="CodeBlock.IsTerminated"/>).
    /// </summary>
    public bool IsTruncated { get; }
}
