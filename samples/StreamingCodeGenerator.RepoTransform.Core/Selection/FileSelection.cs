namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The files chosen for the prompt, the ones left out, and the finished request.</summary>
internal sealed record FileSelection(
    IReadOnlyList<RepositoryFile> Shown,
    IReadOnlyList<SelectedFile> Included,
    IReadOnlyList<ExcludedFile> Excluded,
    CodeGenerationRequest Request,
    int PromptTokens);
