namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A finished run: the diff, and everything the history stores about it.</summary>
public sealed class TransformResult
{
    /// <summary>Gets the unified diff, for <c>git apply</c> on the original tree; empty when nothing changes.</summary>
    public required string Diff { get; init; }

    /// <summary>Gets the files the diff changes, by path.</summary>
    public required IReadOnlyList<FileChange> Files { get; init; }

    /// <summary>Gets the repository as the request named it, without user name, password, query or fragment.</summary>
    public required string Repository { get; init; }

    /// <summary>Gets the commit the change is based on, when the repository is a git repository with commits.</summary>
    public string? Commit { get; init; }

    /// <summary>Gets the model the generator used.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the verdict of the last review.</summary>
    public required ReviewVerdict Verdict { get; init; }

    /// <summary>Gets the number of model requests (the generation plus each review).</summary>
    public required int Rounds { get; init; }

    /// <summary>Gets the prompt tokens of all requests, counted exactly with the model's tokenizer.</summary>
    public required int PromptTokens { get; init; }

    /// <summary>Gets the tokens of all answers, counted exactly with the model's tokenizer.</summary>
    public required int CompletionTokens { get; init; }

    /// <summary>Gets how long the run took.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>
    /// Gets how the run ended: <see cref="TransformOutcome.Succeeded"/>, <see cref="TransformOutcome.NoChanges"/> or
    /// <see cref="TransformOutcome.Applied"/>; or, with a diff that is not a success, <see cref="TransformOutcome.ReviewUnrecognized"/>
    /// or <see cref="TransformOutcome.ChecksFailed"/>.
    /// </summary>
    public required TransformOutcome Outcome { get; init; }

    /// <summary>Gets the prose of the generation's answer: what the model says it changed.</summary>
    public required string Explanation { get; init; }

    /// <summary>Gets the files shown to the model.</summary>
    public required IReadOnlyList<SelectedFile> IncludedFiles { get; init; }

    /// <summary>Gets the files left out, with reasons.</summary>
    public required IReadOnlyList<ExcludedFile> ExcludedFiles { get; init; }

    /// <summary>Gets the warnings of the run (also sent as <see cref="TransformWarning"/> events).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Gets every check run, in order: its round, command, exit code, duration and whether it timed out. Empty without checks.</summary>
    public IReadOnlyList<CheckRun> Checks { get; init; } = [];

    /// <summary>Gets whether the run counts as a success: <see cref="TransformOutcome.Succeeded"/>, <see cref="TransformOutcome.Applied"/> or <see cref="TransformOutcome.NoChanges"/>.</summary>
    public bool IsSuccess => Outcome is TransformOutcome.Succeeded or TransformOutcome.Applied or TransformOutcome.NoChanges;

    /// <summary>Gets how many files the repository listed (at most <see cref="RepositoryTransformerOptions.MaxFilesScanned"/>).</summary>
    public int FilesScanned { get; init; }

    /// <summary>Gets how many files were read.</summary>
    public int FilesRead { get; init; }

    /// <summary>Gets how many bytes of file contents were read (at most <see cref="RepositoryTransformerOptions.MaxBytesRead"/>, plus files the model deleted).</summary>
    public long BytesRead { get; init; }

    /// <summary>Gets the run's id in the history, or <see langword="null"/> when there is no history or storing failed (see <see cref="Warnings"/>).</summary>
    public long? RunId { get; init; }
}
