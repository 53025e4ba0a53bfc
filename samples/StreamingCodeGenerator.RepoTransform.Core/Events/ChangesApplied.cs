namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The diff was applied to the work tree (only when the request asked for it).</summary>
/// <param name="Files">The files changed.</param>
public sealed record ChangesApplied(IReadOnlyList<FileChange> Files) : TransformEvent;
