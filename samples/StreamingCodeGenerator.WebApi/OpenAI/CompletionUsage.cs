namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>OpenAI's <c>usage</c>: the upstream's figures when it reported them, else exact local counts.</summary>
internal sealed record CompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    public static CompletionUsage From(StreamStats stats, Func<int> countPromptTokens) => stats.Usage is { } usage
        ? new(usage.InputTokenCount, usage.OutputTokenCount, usage.TotalTokenCount)
        : Local(countPromptTokens(), stats.TokenCount);

    private static CompletionUsage Local(int prompt, int completion) => new(prompt, completion, prompt + completion);
}
