namespace StreamingCodeGeneration;

/// <summary>The server rejected the credentials (HTTP 401) or denied access (HTTP 403). Never retried.</summary>
public sealed class AuthenticationFailedException : ApiException
{
    /// <summary>Creates an exception with a default message.</summary>
    public AuthenticationFailedException()
        : this("The server rejected the credentials.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public AuthenticationFailedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public AuthenticationFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal AuthenticationFailedException(int statusCode, ApiError error)
        : base(statusCode, error)
    {
    }
}
