namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A file's change with both exact texts, ready for the diff writer.</summary>
/// <param name="Path">The path relative to the root.</param>
/// <param name="Kind">Added, modified or deleted.</param>
/// <param name="OldText">The exact original text; <see langword="null"/> for an added file.</param>
/// <param name="NewText">The exact new text; <see langword="null"/> for a deleted file.</param>
/// <param name="OldMode">The original git mode (<c>100644</c>, <c>100755</c>); <c>100644</c> for an added file.</param>
internal sealed record PlannedChange(string Path, FileChangeKind Kind, string? OldText, string? NewText, string OldMode);
