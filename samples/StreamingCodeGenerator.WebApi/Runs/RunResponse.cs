using System.ComponentModel;
using StreamingCodeGeneration.RepoTransform;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>What <c>POST /run</c> answers: the earlier Python service's <c>{"diff"}</c>, plus the run's summary.</summary>
internal sealed record RunResponse(
    [property: Description("A unified diff that git apply accepts on the repository's commit; empty when nothing changes.")] string Diff,
    [property: Description("The run's id in the history (GET /runs/{id}).")] long? RunId,
    [property: Description("Succeeded, NoChanges, or a diff that is not a success: ReviewUnrecognized (the review ignored the format) or ChecksFailed (a check still fails).")] string Outcome,
    string? Commit,
    string Model,
    string Verdict,
    int Rounds,
    int PromptTokens,
    int CompletionTokens,
    double DurationMs,
    string Explanation,
    IReadOnlyList<FileChange> Files,
    IReadOnlyList<string> Warnings,
    [property: Description("How many files the repository listed (at most WebApi:Runs:MaxFilesScanned).")] int FilesScanned,
    [property: Description("How many files were read.")] int FilesRead,
    [property: Description("How many bytes of files were read (at most WebApi:Runs:MaxBytesRead, plus files the model deleted).")] long BytesRead,
    [property: Description("Every check run (WebApi:Runs:Checks), in order; empty when the service has none.")] IReadOnlyList<RunCheck> Checks)
{
    public static RunResponse From(TransformResult result, IReadOnlyList<string>? extraWarnings = null) => new(
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
        extraWarnings is { Count: > 0 } ? [.. extraWarnings, .. result.Warnings] : result.Warnings,
        result.FilesScanned,
        result.FilesRead,
        result.BytesRead,
        [.. result.Checks.Select(RunCheck.From)]);
}
