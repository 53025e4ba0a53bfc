namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The repository could not be fetched: the destination is refused, the name does not resolve, the port is closed or
/// speaks something else, TLS or authentication failed, the server said no, or the clone timed out. Every case has the
/// same <see cref="Exception.Message"/>, so a caller cannot map a network by the answers; what happened is in
/// <see cref="Detail"/>, for the operator's log.
/// </summary>
public sealed class RepositoryFetchException : RepositoryException
{
    /// <summary>The message of every fetch failure.</summary>
    public const string UniformMessage =
        "Could not fetch the repository: check that the URL names a git repository this service may reach (a public https host by default) and that any credentials in it are right.";

    /// <summary>Creates an exception with the uniform message.</summary>
    public RepositoryFetchException()
        : this(UniformMessage)
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RepositoryFetchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RepositoryFetchException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets what happened, for the operator's log (never for the caller): a refused address, git's words, a
    /// timeout. Credentials are removed.</summary>
    public string? Detail { get; private init; }

    /// <summary>Creates an exception with the uniform message and the detail for the log.</summary>
    /// <param name="detail">What happened (refused address, git's words…), without credentials.</param>
    /// <param name="innerException">The cause, if any.</param>
    internal static RepositoryFetchException WithDetail(string detail, Exception? innerException = null) =>
        new(UniformMessage, innerException) { Detail = detail };
}
