namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The files shown to the model, and every file left out with its reason.</summary>
/// <param name="Included">The files shown in full, most relevant first.</param>
/// <param name="Excluded">The files (and skipped folders) left out, by path.</param>
/// <param name="PromptTokens">The exact prompt tokens of the first request, system prompt included.</param>
/// <param name="MaxPromptTokens">The budget the prompt had to fit.</param>
public sealed record FilesSelected(IReadOnlyList<SelectedFile> Included, IReadOnlyList<ExcludedFile> Excluded, int PromptTokens, int MaxPromptTokens) : TransformEvent;
