namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A repository file (or skipped folder, ending in <c>/</c>) that the model was not shown, and why.</summary>
/// <param name="Path">The path relative to the repository root, with <c>/</c> separators.</param>
/// <param name="Reason">Why it was left out.</param>
/// <param name="Tokens">For <see cref="ExclusionReason.OverBudget"/>, the tokens the file would have cost; otherwise 0.</param>
public sealed record ExcludedFile(string Path, ExclusionReason Reason, int Tokens = 0);
