namespace StreamingCodeGeneration;

/// <summary>Token usage as reported by the server (the numbers it bills).</summary>
public sealed class TokenUsage
{
    /// <summary>Creates a usage record.</summary>
    /// <param name="promptTokens">Tokens in the request.</param>
    /// <param name="completionTokens">Tokens in the answer.</param>
    /// <param name="totalTokens">The server's total, or the sum of the two when it sent none.</param>
    public TokenUsage(int promptTokens, int completionTokens, int totalTokens)
    {
        PromptTokens = promptTokens;
        CompletionTokens = completionTokens;
        TotalTokens = totalTokens;
    }

    /// <summary>Gets the number of tokens in the request.</summary>
    public int PromptTokens { get; }

    /// <summary>Gets the number of tokens in the answer.</summary>
    public int CompletionTokens { get; }

    /// <summary>Gets the total number of tokens.</summary>
    public int TotalTokens { get; }

    /// <summary>Gets the number of prompt tokens served from the server's cache, when reported.</summary>
    public int? CachedPromptTokens { get; init; }

    /// <summary>Gets the number of reasoning tokens inside <see cref="CompletionTokens"/>, when reported.</summary>
    public int? ReasoningTokens { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"prompt {PromptTokens}, completion {CompletionTokens}, total {TotalTokens}");
}
