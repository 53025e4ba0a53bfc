namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The model started writing (or asked to delete) a file: its opening fence line has arrived.</summary>
/// <param name="Round">The round.</param>
/// <param name="Path">The checked path.</param>
/// <param name="Edit">Write or delete.</param>
public sealed record FileStarted(int Round, string Path, FileEditKind Edit) : TransformEvent;
