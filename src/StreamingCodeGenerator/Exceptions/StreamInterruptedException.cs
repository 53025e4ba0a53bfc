namespace StreamingCodeGeneration;

/// <summary>
/// The stream stopped before the answer was finished: the connection was lost or could not be made, the body
/// ended without a finish reason, or the server sent an <c>{"error": …}</c> event (the message is then the server's).
/// </summary>
public sealed class StreamInterruptedException : CodeGenerationException
{
    /// <summary>Creates an exception with a default message.</summary>
    public StreamInterruptedException()
        : this("The stream was interrupted.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public StreamInterruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StreamInterruptedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal StreamInterruptedException(string message, StreamInterruptionReason reason, ApiError? serverError, Exception? innerException)
        : base(message, innerException)
    {
        Reason = reason;
        ErrorCode = serverError?.Code;
        ErrorType = serverError?.Type;
    }

    /// <summary>Gets what interrupted the stream.</summary>
    public StreamInterruptionReason Reason { get; }

    /// <summary>Gets the <c>code</c> of the server's error event, when one arrived.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the <c>type</c> of the server's error event, when one arrived.</summary>
    public string? ErrorType { get; }
}
