namespace StreamingCodeGeneration.RepoTransform;

/// <summary>One stored run: what was asked of which repository, what came out, and what it cost.</summary>
public sealed class RunRecord
{
    /// <summary>Gets the id the history gave the run (0 before it is stored).</summary>
    public long Id { get; init; }

    /// <summary>Gets when the run started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets the repository as the request named it (folder or URL), never with user name, password, query or fragment.</summary>
    public required string Repository { get; init; }

    /// <summary>Gets the commit the change is based on, when known.</summary>
    public string? Commit { get; init; }

    /// <summary>Gets the prompt.</summary>
    public required string Prompt { get; init; }

    /// <summary>Gets the model.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the unified diff (empty when the run produced none).</summary>
    public required string Diff { get; init; }

    /// <summary>Gets the files the diff changes.</summary>
    public required IReadOnlyList<FileChange> Files { get; init; }

    /// <summary>Gets the prompt tokens of all requests (exact, local count).</summary>
    public int PromptTokens { get; init; }

    /// <summary>Gets the tokens of all answers (exact, local count).</summary>
    public int CompletionTokens { get; init; }

    /// <summary>Gets how long the run took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the number of model requests (the generation plus each review).</summary>
    public int Rounds { get; init; }

    /// <summary>Gets the last review's verdict.</summary>
    public ReviewVerdict Verdict { get; init; }

    /// <summary>Gets how the run ended.</summary>
    public TransformOutcome Outcome { get; init; }

    /// <summary>Gets every check run of the run (round, command, exit code, duration, timed out); empty without checks and for runs stored before checks existed.</summary>
    public IReadOnlyList<CheckRun> Checks { get; init; } = [];

    /// <summary>Gets the error message of a failed, rejected or cancelled run (<see cref="RepositoryTransformerOptions.DescribeFailure"/>): never a model provider's own text.</summary>
    public string? Error { get; init; }
}
