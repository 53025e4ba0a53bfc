namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The repository cannot be used: the path does not exist, <see cref="TransformRequest.Apply"/> found uncommitted
/// changes, or one of the specific cases: <see cref="RepositoryUrlException"/> (the value is refused),
/// <see cref="RepositoryFetchException"/> (the clone failed), <see cref="RepositoryLimitException"/> (too large).
/// </summary>
public class RepositoryException : TransformException
{
    /// <summary>Creates an exception with a default message.</summary>
    public RepositoryException()
        : this("The repository cannot be used.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RepositoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RepositoryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
