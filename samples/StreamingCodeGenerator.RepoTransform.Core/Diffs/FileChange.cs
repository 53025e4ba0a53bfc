namespace StreamingCodeGeneration.RepoTransform;

/// <summary>One file of the change, as the diff shows it.</summary>
/// <param name="Path">The path relative to the repository root, with <c>/</c> separators.</param>
/// <param name="Kind">Added, modified or deleted.</param>
/// <param name="LinesAdded">Lines the diff adds.</param>
/// <param name="LinesRemoved">Lines the diff removes.</param>
public sealed record FileChange(string Path, FileChangeKind Kind, int LinesAdded, int LinesRemoved);
