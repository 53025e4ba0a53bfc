namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Another line of a file has arrived.</summary>
/// <param name="Round">The round.</param>
/// <param name="Path">The file being written.</param>
/// <param name="Lines">The file's complete lines so far.</param>
/// <param name="OutputTokens">The exact tokens of the whole answer so far (the library's live count).</param>
public sealed record FileProgress(int Round, string Path, int Lines, int OutputTokens) : TransformEvent;
