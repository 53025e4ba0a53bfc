namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The repository is larger than a limit of <see cref="RepositoryTransformerOptions"/> allows: more files than
/// <see cref="RepositoryTransformerOptions.MaxFilesScanned"/>, or a clone over
/// <see cref="RepositoryTransformerOptions.MaxCloneBytes"/>. <see cref="Setting"/> and <see cref="Limit"/> name it.
/// </summary>
public sealed class RepositoryLimitException : RepositoryException
{
    /// <summary>Creates an exception with a default message.</summary>
    public RepositoryLimitException()
        : this("The repository is larger than the run's limits allow.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RepositoryLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RepositoryLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception naming the limit.</summary>
    /// <param name="setting">The option's name, for example <c>MaxFilesScanned</c>.</param>
    /// <param name="limit">Its value.</param>
    /// <param name="message">What went wrong, naming the limit.</param>
    public RepositoryLimitException(string setting, long limit, string message)
        : base(message)
    {
        Setting = setting;
        Limit = limit;
    }

    /// <summary>Gets the name of the <see cref="RepositoryTransformerOptions"/> property that set the limit.</summary>
    public string? Setting { get; }

    /// <summary>Gets the limit's value (files or bytes).</summary>
    public long Limit { get; }
}
