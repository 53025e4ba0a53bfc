namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A model request is about to be sent.</summary>
/// <param name="Round">1 for the generation, 2 and on for the reviews.</param>
/// <param name="Kind">Generation or review.</param>
/// <param name="PromptTokens">The exact prompt tokens of the request.</param>
public sealed record RoundStarted(int Round, RoundKind Kind, int PromptTokens) : TransformEvent;
