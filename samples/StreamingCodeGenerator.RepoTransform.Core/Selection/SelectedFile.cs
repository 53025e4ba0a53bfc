namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A repository file shown to the model in full.</summary>
/// <param name="Path">The path relative to the repository root, with <c>/</c> separators.</param>
/// <param name="Tokens">The tokens its block costs in the prompt.</param>
/// <param name="Relevance">Its relevance score to the prompt (path and content matches); higher was chosen first.</param>
public sealed record SelectedFile(string Path, int Tokens, int Relevance);
