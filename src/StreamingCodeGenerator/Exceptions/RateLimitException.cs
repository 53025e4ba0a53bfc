namespace StreamingCodeGeneration;

/// <summary>The server refused the request because of a rate limit or an exhausted quota (HTTP 429).</summary>
public sealed class RateLimitException : ApiException
{
    /// <summary>Creates an exception with a default message.</summary>
    public RateLimitException()
        : this("The server's rate limit was reached.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public RateLimitException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public RateLimitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal RateLimitException(int statusCode, ApiError error, TimeSpan? retryAfter)
        : base(statusCode, error)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>Gets how long the server asked us to wait (<c>Retry-After</c> or <c>retry-after-ms</c>), when it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Gets whether the account's quota is exhausted (<c>insufficient_quota</c>): waiting will not help.</summary>
    public bool IsQuotaExhausted => string.Equals(ErrorCode, "insufficient_quota", StringComparison.Ordinal)
        || string.Equals(ErrorType, "insufficient_quota", StringComparison.Ordinal);
}
