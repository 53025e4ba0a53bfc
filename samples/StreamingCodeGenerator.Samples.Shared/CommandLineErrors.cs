using Microsoft.Extensions.Options;

namespace StreamingCodeGeneration.Samples;

/// <summary>Maps what a command-line sample can fail with to an exit code and a one-line message.</summary>
public static class CommandLineErrors
{
    /// <summary>
    /// Describes a failure: configuration 2, authentication 3, rate limit or quota 4, timeout 5, connection or server
    /// error 6, Ctrl+C 130, anything else 1. The message is one line; the library's messages never contain the key.
    /// </summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The exit code and the message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>.</exception>
    public static CommandLineError Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OperationCanceledException => new(ExitCodes.Cancelled, "Cancelled."),
            ConfigurationException => new(ExitCodes.Configuration, OneLine(exception.Message)),
            OptionsValidationException options => new(ExitCodes.Configuration, "Invalid setting: " + OneLine(string.Join("; ", options.Failures))),
            AuthenticationFailedException => new(ExitCodes.Authentication, $"Authentication failed: {OneLine(exception.Message)} Check {ModelOptions.ApiKeyVariable}."),
            RateLimitException { IsQuotaExhausted: true } => new(ExitCodes.RateLimit, "Quota exhausted: " + OneLine(exception.Message)),
            RateLimitException => new(ExitCodes.RateLimit, "Rate limited: " + OneLine(exception.Message)),
            StreamTimeoutException => new(ExitCodes.Timeout, "Timed out: " + OneLine(exception.Message)),
            StreamInterruptedException or MalformedResponseException => new(ExitCodes.Connection, OneLine(exception.Message)),
            ApiException { StatusCode: >= 500 } => new(ExitCodes.Connection, "Server error: " + OneLine(exception.Message)),
            HttpRequestException => new(ExitCodes.Connection, "Connection failed: " + OneLine(exception.Message)),
            _ => new(ExitCodes.Failure, OneLine(exception.Message)),
        };
    }

    /// <summary>Joins the lines of a message into one, so each error is exactly one line of output.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The message on one line.</returns>
    public static string OneLine(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
