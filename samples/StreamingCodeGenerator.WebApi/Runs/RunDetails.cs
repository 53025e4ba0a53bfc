using StreamingCodeGeneration.RepoTransform;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>One stored run with its diff and its checks (<c>GET /runs/{id}</c>).</summary>
internal sealed record RunDetails(RunSummary Run, string Diff, IReadOnlyList<FileChange> Files, IReadOnlyList<RunCheck> Checks);
