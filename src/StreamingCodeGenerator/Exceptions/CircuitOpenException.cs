namespace StreamingCodeGeneration;

/// <summary>
/// The circuit breaker is open (see <see cref="CircuitBreakerOptions"/>): recent attempts against the upstream failed,
/// so this attempt was not sent. Never retried within the generation; <see cref="RetryAfter"/> says when the breaker
/// lets the next probe through. Like every failure, it carries the text delivered before it (a continuation refused by
/// an open breaker keeps what arrived) and the stats.
/// </summary>
public sealed class CircuitOpenException : CodeGenerationException
{
    /// <summary>Creates an exception with a default message.</summary>
    public CircuitOpenException()
        : this(FormatMessage(null))
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CircuitOpenException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CircuitOpenException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal CircuitOpenException(TimeSpan? retryAfter)
        : base(FormatMessage(retryAfter))
    {
        RetryAfter = retryAfter;
    }

    /// <summary>
    /// Gets how long until the breaker lets an attempt probe the upstream (while a probe is under way, until the next one
    /// would be let through); <see langword="null"/> when the breaker does not say.
    /// </summary>
    public TimeSpan? RetryAfter { get; }

    private static string FormatMessage(TimeSpan? retryAfter) => retryAfter is TimeSpan wait
        ? $"The circuit breaker is open: too many recent attempts against the upstream failed, so no request was sent. The next probe is allowed in {wait}."
        : "The circuit breaker is open: too many recent attempts against the upstream failed, so no request was sent.";
}
