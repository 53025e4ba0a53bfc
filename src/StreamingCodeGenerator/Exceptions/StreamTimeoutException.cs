namespace StreamingCodeGeneration;

/// <summary>A time limit ran out. Caller cancellation never surfaces as this exception.</summary>
public sealed class StreamTimeoutException : CodeGenerationException
{
    /// <summary>Creates an exception with a default message.</summary>
    public StreamTimeoutException()
        : this("The generation timed out.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public StreamTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public StreamTimeoutException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal StreamTimeoutException(StreamTimeoutKind kind, TimeSpan timeout, Exception? innerException)
        : base(FormatMessage(kind, timeout), innerException)
    {
        Kind = kind;
        Timeout = timeout;
    }

    /// <summary>Gets which limit ran out.</summary>
    public StreamTimeoutKind Kind { get; }

    /// <summary>Gets the limit that ran out.</summary>
    public TimeSpan Timeout { get; }

    private static string FormatMessage(StreamTimeoutKind kind, TimeSpan timeout) => kind switch
    {
        StreamTimeoutKind.FirstChunk => $"No content arrived within the first-chunk timeout ({timeout}).",
        StreamTimeoutKind.Idle => $"No content arrived for the idle timeout ({timeout}); keep-alive comments and empty chunks do not count.",
        _ => $"The generation exceeded its total timeout ({timeout}), retries included.",
    };
}
