namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A model answer is complete and parsed.</summary>
/// <param name="Round">The round.</param>
/// <param name="Kind">Generation or review.</param>
/// <param name="OutputTokens">The exact tokens of the answer.</param>
/// <param name="FileEdits">How many files the answer wrote or deleted.</param>
public sealed record RoundCompleted(int Round, RoundKind Kind, int OutputTokens, int FileEdits) : TransformEvent;
