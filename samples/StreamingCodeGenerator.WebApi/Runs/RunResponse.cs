using System.ComponentModel;
using StreamingCodeGeneration.RepoTransform;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>What <c>POST /run</c> answers: the seed's <c>{"diff"}</c>, plus the run's summary.</summary>
internal sealed record RunResponse(
    [property: Description("A unified diff that git apply accepts on the repository's commit; empty when nothing changes.")] string Diff,
    [property: Description("The run's id in the history (GET /runs/{id}).")] long? RunId,
    string Outcome,
    string? Commit,
    string Model,
    string Verdict,
    int Rounds,
    int PromptTokens,
    int CompletionTokens,
    double DurationMs,
    string Explanation,
    IReadOnlyList<FileChange> Files,
    IReadOnlyList<string> Warnings)
{
    public static RunResponse From(TransformResult result) => new(
        result.Diff,
        result.RunId,
        result.Outcome.ToString(),
        result.Commit,
        result.Model,
        result.Verdict.ToString(),
        result.Rounds,
        result.PromptTokens,
        result.CompletionTokens,
        Math.Round(result.Duration.TotalMilliseconds, 1),
        result.Explanation,
        result.Files,
        result.Warnings);
}
