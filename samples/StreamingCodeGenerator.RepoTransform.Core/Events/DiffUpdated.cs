namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The diff after a round: the first after the generation, then after each revision.</summary>
/// <param name="Round">The round that produced it.</param>
/// <param name="Diff">The unified diff (empty when nothing changes).</param>
/// <param name="Files">The files it changes.</param>
public sealed record DiffUpdated(int Round, string Diff, IReadOnlyList<FileChange> Files) : TransformEvent;
