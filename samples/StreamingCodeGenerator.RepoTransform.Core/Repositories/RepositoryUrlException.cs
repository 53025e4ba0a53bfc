namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The repository named is not one this caller may use: not a well-formed URL, a scheme that is not allowed, a folder
/// on this machine when <c>file</c> is not allowed, or a URL with parts git must not see (a query, <c>..</c> segments,
/// control characters). Decided from the text alone, before anything is read or fetched. The message says what is
/// wrong without repeating the value, which may hold credentials.
/// </summary>
public sealed class RepositoryUrlException : RepositoryException
{
    /// <summary>Creates an exception with a default message.</summary>
    public RepositoryUrlException()
        : this("The repository is not a URL or folder this caller may use.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What is wrong.</param>
    public RepositoryUrlException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RepositoryUrlException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
