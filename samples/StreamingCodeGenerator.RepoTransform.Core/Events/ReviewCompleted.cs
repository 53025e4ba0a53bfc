namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A review's verdict, parsed strictly from the first line of its answer.</summary>
/// <param name="Round">The round.</param>
/// <param name="Verdict">Confident, revision needed, or unrecognized (the answer was neither).</param>
/// <param name="FirstLine">The answer's first non-blank line, as written (shortened when long).</param>
public sealed record ReviewCompleted(int Round, ReviewVerdict Verdict, string? FirstLine) : TransformEvent;
