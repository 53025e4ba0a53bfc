namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>The Responses API's <c>usage</c>: the upstream's figures when it reported them, else exact local counts.</summary>
internal sealed record ResponseUsage(int InputTokens, ResponseInputTokensDetails InputTokensDetails, int OutputTokens, ResponseOutputTokensDetails OutputTokensDetails, int TotalTokens)
{
    public static ResponseUsage From(StreamStats stats, Func<int> countPromptTokens)
    {
        if (stats.Usage is { } usage)
        {
            return new(
                usage.InputTokenCount,
                new ResponseInputTokensDetails(usage.CachedInputTokenCount ?? 0),
                usage.OutputTokenCount,
                new ResponseOutputTokensDetails(usage.ReasoningTokenCount ?? 0),
                usage.TotalTokenCount);
        }

        int prompt = countPromptTokens();
        return new(prompt, new ResponseInputTokensDetails(0), stats.TokenCount, new ResponseOutputTokensDetails(0), prompt + stats.TokenCount);
    }
}
