namespace StreamingCodeGeneration.RepoTransform;

/// <summary>What to change, and where: the web service's <c>{"repo_url", "prompt"}</c>, plus the CLI's switches.</summary>
public sealed class TransformRequest
{
    /// <summary>Creates a request.</summary>
    /// <param name="repository">A local folder, or an https, ssh (<c>user@host:path</c> too) or file git URL.</param>
    /// <param name="prompt">What to change, in words.</param>
    /// <exception cref="ArgumentException"><paramref name="repository"/> or <paramref name="prompt"/> is null, empty or white space.</exception>
    public TransformRequest(string repository, string prompt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        ArgumentException.ThrowIfNullOrWhiteSpace(prompt);
        Repository = repository;
        Prompt = prompt;
    }

    /// <summary>Gets the repository: a local folder or a git URL.</summary>
    public string Repository { get; }

    /// <summary>Gets what to change.</summary>
    public string Prompt { get; }

    /// <summary>Gets the prompt token budget for this run, overriding <see cref="RepositoryTransformerOptions.MaxPromptTokens"/>.</summary>
    /// <value>The default is <see langword="null"/>: the options' value.</value>
    public int? MaxPromptTokens { get; init; }

    /// <summary>Gets the most review rounds for this run (0 turns reflection off), overriding <see cref="RepositoryTransformerOptions.ReflectionRounds"/>.</summary>
    /// <value>The default is <see langword="null"/>: the options' value.</value>
    public int? ReflectionRounds { get; init; }

    /// <summary>
    /// Gets whether to apply the diff to the repository's work tree (with <c>git apply</c>). Only for a local git
    /// repository without uncommitted changes; checked before the model is asked, and again before applying.
    /// </summary>
    /// <value>The default is <see langword="false"/>: nothing touches the repository.</value>
    public bool Apply { get; init; }
}
