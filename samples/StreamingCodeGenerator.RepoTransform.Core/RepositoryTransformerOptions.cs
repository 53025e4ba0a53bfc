namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Settings for a <see cref="RepositoryTransformer"/>.</summary>
public sealed class RepositoryTransformerOptions
{
    /// <summary>The prompt token budget used when neither the request nor the options set one.</summary>
    public const int DefaultMaxPromptTokens = 32_000;

    /// <summary>
    /// Gets or sets the largest prompt, in tokens, counted exactly with the model's tokenizer (system prompt and message
    /// framing included). Files are shown in order of relevance while they fit; the rest are left out and reported.
    /// A <see cref="StreamingCodeGeneratorOptions.MaxPromptTokens"/> on the generator lowers it further.
    /// </summary>
    /// <value>The default is 32,000.</value>
    public int MaxPromptTokens { get; set; } = DefaultMaxPromptTokens;

    /// <summary>Gets or sets the most review rounds after the generation (0 turns reflection off).</summary>
    /// <value>The default is 1.</value>
    public int ReflectionRounds { get; set; } = 1;

    /// <summary>Gets or sets the largest file read, in bytes; larger files are left out as too large.</summary>
    /// <value>The default is 256 KiB.</value>
    public long MaxFileBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Gets or sets the most files a run lists (tracked files, a commit's files, or a folder's files). A larger
    /// repository is refused with a <see cref="RepositoryLimitException"/> before anything is read or sent.
    /// </summary>
    /// <value>The default is 50,000.</value>
    public int MaxFilesScanned { get; set; } = 50_000;

    /// <summary>
    /// Gets or sets the most bytes of file contents a run reads. Files are read in order of relevance by path (a file the
    /// prompt names first, then path words, then smaller files) until the next would pass the limit; the rest are left
    /// out as not read, and a warning names the limit. Content relevance then ranks the files read.
    /// </summary>
    /// <value>The default is 4 MiB.</value>
    public long MaxBytesRead { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Gets or sets the most bytes a clone may download when <see cref="RepositoryAccess"/> restricts destinations (every
    /// https clone then goes through the run's proxy, which counts them); past it the clone is stopped and the run fails
    /// with a <see cref="RepositoryLimitException"/>.
    /// </summary>
    /// <value>The default is 256 MiB.</value>
    public long MaxCloneBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Gets or sets how long a clone may take; then it is stopped and the run fails with a <see cref="RepositoryFetchException"/>.</summary>
    /// <value>The default is 2 minutes.</value>
    public TimeSpan CloneTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how many repository paths the prompt lists (so the model knows what exists); the rest are counted.</summary>
    /// <value>The default is 1,000.</value>
    public int MaxListedPaths { get; set; } = 1000;

    /// <summary>
    /// Gets or sets which repositories a run may open and where git may connect. The default is for callers who are not
    /// the machine's user (a service): public https hosts only. A command line uses <see cref="RepositoryAccess.ForLocalUser"/>.
    /// </summary>
    /// <value>The default is a new <see cref="RepositoryAccess"/>: https only, public destinations, port 443.</value>
    public RepositoryAccess RepositoryAccess { get; set; } = new();

    /// <summary>
    /// Gets or sets how a failed run's error is worded in the history. The default keeps the agent's own messages and
    /// words a model failure by its type and status code alone, never with the provider's text (which can hold account
    /// details, URLs and echoes of the key). A host that answers failures in its own words passes the same words here.
    /// </summary>
    /// <value>The default is <see langword="null"/>: the agent's own wording.</value>
    public Func<Exception, string>? DescribeFailure { get; set; }

    /// <summary>
    /// Gets the repository's own checks: commands run in a temporary worktree on each diff, whose failures go back to the
    /// model for a revision (see <see cref="CheckOptions"/>). The host sets them, never a run's request.
    /// </summary>
    /// <value>The default has no commands: no checks, sandboxed settings.</value>
    public CheckOptions Checks { get; set; } = new();

    /// <summary>Gets or sets the git executable.</summary>
    /// <value>The default is <c>git</c>, found on PATH.</value>
    public string GitExecutable { get; set; } = "git";

    /// <summary>Gets or sets the clock for the start time and duration recorded in the history, and for the clone's and the checks' time limits.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPromptTokens, nameof(MaxPromptTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(ReflectionRounds, nameof(ReflectionRounds));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFileBytes, nameof(MaxFileBytes));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFilesScanned, nameof(MaxFilesScanned));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBytesRead, nameof(MaxBytesRead));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxCloneBytes, nameof(MaxCloneBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(CloneTimeout, TimeSpan.Zero, nameof(CloneTimeout));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxListedPaths, nameof(MaxListedPaths));
        ArgumentException.ThrowIfNullOrWhiteSpace(GitExecutable, nameof(GitExecutable));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(RepositoryAccess, nameof(RepositoryAccess));
        RepositoryAccess.Validate();
        ArgumentNullException.ThrowIfNull(Checks, nameof(Checks));
        Checks.Validate();
    }
}
