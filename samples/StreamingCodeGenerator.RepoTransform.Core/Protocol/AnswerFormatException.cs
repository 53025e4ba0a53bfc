namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The model's answer cannot be used as it stands: it ended inside a file (for example at the output token limit),
/// so applying what arrived would write half a file.
/// </summary>
public sealed class AnswerFormatException : TransformException
{
    /// <summary>Creates an exception with a default message.</summary>
    public AnswerFormatException()
        : this("The model's answer does not follow the file protocol.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AnswerFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AnswerFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
