namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A parsed answer: its file edits in order, the review verdict when one was expected, and the prose.</summary>
internal sealed record AnswerParseResult(IReadOnlyList<FileEdit> Edits, ReviewVerdict? Verdict, string? VerdictLine, string Explanation);
