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
    IReadOnlyList<string> Warnings,
    [property: Description("How many files the repository listed (at most WebApi:Runs:MaxFilesScanned).")] int FilesScanned,
    [property: Description("How many files were read.")] int FilesRead,
    [property: Description("How many bytes of files were read (at most WebApi:Runs:MaxBytesRead, plus files the model deleted).")] long BytesRead)
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
        result.Warnings,
        result.FilesScanned,
        result.FilesRead,
        result.BytesRead);
}
