namespace StreamingCodeGeneration;

/// <summary>The caller's chunk callback threw; the stream was stopped cleanly and the callback's exception is the inner exception.</summary>
public sealed class StreamProcessingException : CodeGenerationException
{
    /// <summary>Creates an exception with a default message.</summary>
    public StreamProcessingException()
        : this("The chunk callback failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public StreamProcessingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StreamProcessingException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
