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

    /// <summary>Gets or sets how many repository paths the prompt lists (so the model knows what exists); the rest are counted.</summary>
    /// <value>The default is 1,000.</value>
    public int MaxListedPaths { get; set; } = 1000;

    /// <summary>Gets or sets the git executable.</summary>
    /// <value>The default is <c>git</c>, found on PATH.</value>
    public string GitExecutable { get; set; } = "git";

    /// <summary>Gets or sets the clock for the start time and duration recorded in the history.</summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPromptTokens, nameof(MaxPromptTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(ReflectionRounds, nameof(ReflectionRounds));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxFileBytes, nameof(MaxFileBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxListedPaths, nameof(MaxListedPaths));
        ArgumentException.ThrowIfNullOrWhiteSpace(GitExecutable, nameof(GitExecutable));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
