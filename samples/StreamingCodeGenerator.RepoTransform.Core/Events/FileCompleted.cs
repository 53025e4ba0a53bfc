namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The model finished a file: its closing fence has arrived.</summary>
/// <param name="Round">The round.</param>
/// <param name="Path">The file.</param>
/// <param name="Edit">Write or delete.</param>
/// <param name="Lines">The file's lines (0 for a deletion).</param>
public sealed record FileCompleted(int Round, string Path, FileEditKind Edit, int Lines) : TransformEvent;
