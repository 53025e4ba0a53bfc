namespace StreamingCodeGeneration;

/// <summary>The server answered with an HTTP error status.</summary>
public class ApiException : CodeGenerationException
{
    /// <summary>Creates an exception with a default message.</summary>
    public ApiException()
        : this("The server returned an error.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ApiException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from a server's error answer.</summary>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="error">The error the server described, as parsed from its body.</param>
    internal ApiException(int statusCode, ApiError error)
        : base(ApiError.FormatMessage(statusCode, error))
    {
        StatusCode = statusCode;
        ErrorCode = error.Code;
        ErrorType = error.Type;
        ServerMessage = error.Message;
        RequestId = error.RequestId;
    }

    /// <summary>Gets the HTTP status code (0 when none was received).</summary>
    public int StatusCode { get; }

    /// <summary>Gets the error's <c>code</c> field (for example <c>rate_limit_exceeded</c>), when sent.</summary>
    public string? ErrorCode { get; }

    /// <summary>Gets the error's <c>type</c> field (for example <c>invalid_request_error</c>), when sent.</summary>
    public string? ErrorType { get; }

    /// <summary>Gets the server's own message, when it sent one.</summary>
    public string? ServerMessage { get; }

    /// <summary>Gets the server's request id (<c>x-request-id</c>, <c>apim-request-id</c>, Anthropic's <c>request-id</c>), for support tickets.</summary>
    public string? RequestId { get; }

    /// <summary>
    /// The wait the server asked for with this status (<c>Retry-After</c> on a 529 or 503), which the retry strategy
    /// honours as it does <see cref="RateLimitException.RetryAfter"/>.
    /// </summary>
    internal TimeSpan? RequestedDelay { get; init; }
}
