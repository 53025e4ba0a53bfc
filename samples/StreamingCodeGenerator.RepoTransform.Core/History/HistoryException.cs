namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The run history cannot be opened, migrated or read (for example a database newer than this tool).</summary>
public sealed class HistoryException : TransformException
{
    /// <summary>Creates an exception with a default message.</summary>
    public HistoryException()
        : this("The run history is not available.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public HistoryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public HistoryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
