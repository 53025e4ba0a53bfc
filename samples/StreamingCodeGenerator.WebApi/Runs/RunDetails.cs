using StreamingCodeGeneration.RepoTransform;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>One stored run with its diff (<c>GET /runs/{id}</c>).</summary>
internal sealed record RunDetails(RunSummary Run, string Diff, IReadOnlyList<FileChange> Files);
