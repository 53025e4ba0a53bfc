namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The last event of a successful run.</summary>
/// <param name="Result">The diff and everything the history stores.</param>
public sealed record RunCompleted(TransformResult Result) : TransformEvent;
