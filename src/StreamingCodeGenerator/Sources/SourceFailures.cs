namespace StreamingCodeGeneration;

/// <summary>
/// The typed failures every source throws, made one way: a source parses its provider's error body into an
/// <see cref="ApiError"/> (and its <c>Retry-After</c> headers with <see cref="RetryAfterParser"/>) and lets these
/// choose the exception, so the layers above classify failures alike whatever the provider.
/// </summary>
internal static class SourceFailures
{
    /// <summary>
    /// An error status: 401/403 is <see cref="AuthenticationFailedException"/>, 429 <see cref="RateLimitException"/> (with
    /// the wait the server asked for), a context-length error <see cref="ContextLengthExceededException"/>, anything else
    /// <see cref="ApiException"/> (whether another attempt may help is <see cref="RetryClassifier"/>'s call, and the
    /// source's for statuses only its provider uses: <see cref="IChatUpdateSource.IsTransient"/>).
    /// </summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="error">The parsed error body.</param>
    /// <param name="retryAfter">
    /// The wait the server asked for (<c>Retry-After</c>), if any: a rate limit's <see cref="RateLimitException.RetryAfter"/>,
    /// and for any other status the delay the retry strategy waits before another attempt (Anthropic's 529, a 503).
    /// </param>
    public static ApiException FromStatus(int status, ApiError error, TimeSpan? retryAfter)
    {
        if (status is 401 or 403)
        {
            return new AuthenticationFailedException(status, error);
        }

        if (status == 429)
        {
            return new RateLimitException(status, error, retryAfter);
        }

        if (string.Equals(error.Code, "context_length_exceeded", StringComparison.Ordinal)
            || (error.Message?.Contains("maximum context length", StringComparison.OrdinalIgnoreCase) ?? false)
            || (status == 400 && (error.Message?.StartsWith("prompt is too long", StringComparison.OrdinalIgnoreCase) ?? false)))
        {
            // OpenAI's code and message; Anthropic's "prompt is too long: 208310 tokens > 200000 maximum".
            return new ContextLengthExceededException(status, error);
        }

        return new ApiException(status, error) { RequestedDelay = retryAfter };
    }

    /// <summary>The connection could not be made or was lost (the cause's message is redacted).</summary>
    public static StreamInterruptedException ConnectionLost(Exception cause, SecretRedactor redactor) =>
        new("The connection to the server failed or was lost: " + redactor.Redact(cause.Message), StreamInterruptionReason.ConnectionLost, null, cause);

    /// <summary>The server reported an error in the middle of the stream (its message, else <paramref name="defaultMessage"/>).</summary>
    public static StreamInterruptedException ErrorEvent(ApiError error, string defaultMessage = "The server sent an error event in the stream.") =>
        new(string.IsNullOrEmpty(error.Message) ? defaultMessage : error.Message, StreamInterruptionReason.ServerError, error, null);

    /// <summary>The body ended before the answer did (no finish reason, no end marker).</summary>
    /// <param name="sawText">Whether any answer text arrived before the end.</param>
    /// <param name="endMarker">
    /// The provider's end-of-stream event that never came (<c>message_stop</c>, <c>response.completed</c>), or
    /// <see langword="null"/> for Chat Completions' finish reason and <c>[DONE]</c>.
    /// </param>
    public static StreamInterruptedException EndedEarly(bool sawText, string? endMarker = null) =>
        new(
            (sawText ? "The response ended before the model finished" : "The response ended before any content arrived")
                + (endMarker is null ? " (no finish reason and no [DONE])." : $" (no {endMarker})."),
            StreamInterruptionReason.EndedWithoutFinishReason,
            null,
            null);
}
