using StreamingCodeGeneration.RepoTransform;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>One run of <c>GET /runs</c>, newest first (the diff is in <c>GET /runs/{id}</c>).</summary>
internal sealed record RunSummary(
    long Id,
    DateTimeOffset StartedAt,
    string Repository,
    string Prompt,
    string Model,
    string Outcome,
    string Verdict,
    int FileCount,
    int PromptTokens,
    int CompletionTokens,
    double DurationMs,
    string? Error)
{
    public static RunSummary From(RunRecord run) => new(
        run.Id,
        run.StartedAt,
        run.Repository,
        run.Prompt,
        run.Model,
        run.Outcome.ToString(),
        run.Verdict.ToString(),
        run.Files.Count,
        run.PromptTokens,
        run.CompletionTokens,
        Math.Round(run.Duration.TotalMilliseconds, 1),
        run.Error);
}
