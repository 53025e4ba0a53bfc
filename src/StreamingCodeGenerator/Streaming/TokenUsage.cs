using System.Text.Json.Serialization;

namespace StreamingCodeGeneration;

/// <summary>Token usage as reported by the server (the numbers it bills). Names follow Microsoft.Extensions.AI's <c>UsageDetails</c>.</summary>
public sealed class TokenUsage
{
    /// <summary>Creates a usage record.</summary>
    /// <param name="inputTokenCount">Tokens in the request (the prompt).</param>
    /// <param name="outputTokenCount">Tokens in the answer (reasoning included).</param>
    /// <param name="totalTokenCount">The server's total, or the sum of the two when it sent none.</param>
    [JsonConstructor]
    public TokenUsage(int inputTokenCount, int outputTokenCount, int totalTokenCount)
    {
        InputTokenCount = inputTokenCount;
        OutputTokenCount = outputTokenCount;
        TotalTokenCount = totalTokenCount;
    }

    /// <summary>Gets the number of tokens in the request (<c>prompt_tokens</c>).</summary>
    public int InputTokenCount { get; }

    /// <summary>Gets the number of tokens in the answer (<c>completion_tokens</c>).</summary>
    public int OutputTokenCount { get; }

    /// <summary>Gets the total number of tokens (<c>total_tokens</c>).</summary>
    public int TotalTokenCount { get; }

    /// <summary>Gets the number of input tokens served from the server's prompt cache, when reported.</summary>
    public int? CachedInputTokenCount { get; init; }

    /// <summary>Gets the number of reasoning tokens inside <see cref="OutputTokenCount"/>, when reported.</summary>
    public int? ReasoningTokenCount { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"input {InputTokenCount}, output {OutputTokenCount}, total {TotalTokenCount}");
}
