namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Something the run left out or could not use, in one sentence (for example a code block that names no file).</summary>
/// <param name="Message">What happened.</param>
public sealed record TransformWarning(string Message) : TransformEvent;
