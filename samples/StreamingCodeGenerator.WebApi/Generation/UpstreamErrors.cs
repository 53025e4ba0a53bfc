using System.Globalization;

namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>
/// Turns what a generation failed with into the service's answer. Before the response starts, each failure gets its own
/// status; after, the same error travels in-band. Messages are the service's own: an upstream's error text can hold
/// account details, and its authentication errors are about the service's key, not the caller's.
/// </summary>
internal static class UpstreamErrors
{
    /// <summary>How long a client is asked to wait after an upstream 429 that did not say, or while the circuit breaker's probe is under way.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>Maps a failure to the service's answer.</summary>
    /// <param name="exception">What the generation failed with.</param>
    /// <param name="cancellation">Which of the generation's tokens fired, if any.</param>
    /// <param name="firstChunkDeadline">The first-chunk deadline, for its message.</param>
    /// <param name="outputLimitField">The request field that set the output limit (<c>max_tokens</c>), or <see langword="null"/> when the service's settings did.</param>
    public static ServiceError Map(Exception exception, GenerationCancellation cancellation, TimeSpan firstChunkDeadline, string? outputLimitField = null)
    {
        return exception switch
        {
            OperationCanceledException when cancellation == GenerationCancellation.Deadline => new ServiceError(
                504,
                "upstream_timeout",
                $"The model did not start answering within {Seconds(firstChunkDeadline)}."),
            OperationCanceledException when cancellation == GenerationCancellation.Shutdown => new ServiceError(
                503,
                "service_unavailable",
                "The service is shutting down; the answer is incomplete. Retry on another instance.",
                RetryAfter: TimeSpan.FromSeconds(1)),
            ContextLengthExceededException context => ContextLength(context, outputLimitField),
            RateLimitException rateLimit => new ServiceError(
                429,
                rateLimit.IsQuotaExhausted ? "insufficient_quota" : "rate_limit_exceeded",
                rateLimit.IsQuotaExhausted
                    ? "The service's model quota is exhausted. Try again later."
                    : "The model provider is rate-limiting the service. Retry after the time in Retry-After.",
                RetryAfter: rateLimit.RetryAfter ?? DefaultRetryAfter),
            // The breaker refused the attempt without sending it: for a new generation always before the first chunk (a
            // 503 with Retry-After); a continuation it refuses mid-stream ends the stream in-band with the same code.
            CircuitOpenException open => new ServiceError(
                503,
                "upstream_circuit_open",
                "The model provider has been failing, so the service is not calling it until the time in Retry-After has passed. Retry then.",
                RetryAfter: open.RetryAfter ?? DefaultRetryAfter),
            AuthenticationFailedException => new ServiceError(
                502,
                "upstream_authentication_failed",
                "The model provider rejected the service's credentials. This is the service's configuration, not your request; tell its operator."),
            StreamTimeoutException timeout => new ServiceError(
                504,
                "upstream_timeout",
                timeout.Kind switch
                {
                    StreamTimeoutKind.Idle => $"The model stopped sending for {Seconds(timeout.Timeout)}.",
                    StreamTimeoutKind.Total => $"The model's answer took longer than {Seconds(timeout.Timeout)}.",
                    _ => $"The model did not start answering within {Seconds(timeout.Timeout)}.",
                }),
            ApiException { StatusCode: > 0 } api => new ServiceError(
                502,
                "upstream_error",
                $"The model provider answered HTTP {api.StatusCode.ToString(CultureInfo.InvariantCulture)}."),
            StreamInterruptedException { Reason: StreamInterruptionReason.ServerError } => new ServiceError(
                502,
                "upstream_error",
                "The model provider reported an error in its stream."),
            StreamInterruptedException { Reason: StreamInterruptionReason.EndedWithoutFinishReason } => new ServiceError(
                502,
                "upstream_interrupted",
                "The model provider's stream ended before the answer was complete."),
            StreamInterruptedException or ApiException => new ServiceError(
                502,
                "upstream_unreachable",
                "The connection to the model provider failed or was lost."),
            MalformedResponseException => new ServiceError(
                502,
                "upstream_malformed",
                "The model provider sent a response that is not a chat completion stream."),
            ArgumentException argument => ServiceError.BadRequest("invalid_request", argument.Message),
            CodeGenerationException => new ServiceError(502, "upstream_error", "The model provider failed."),
            _ => new ServiceError(500, "internal_error", "The service failed unexpectedly; the failure is logged."),
        };
    }

    /// <summary>
    /// Says what does not fit, with the numbers: the prompt alone, or the prompt plus the room kept for the answer
    /// (<c>max_tokens</c>, or the service's own output limit), against the model's context window.
    /// </summary>
    private static ServiceError ContextLength(ContextLengthExceededException context, string? outputLimitField)
    {
        const string Code = "context_length_exceeded";
        if (context.PromptTokens is not { } prompt)
        {
            return ServiceError.BadRequest(Code, "The prompt does not fit the model's context window. Shorten it.", "messages");
        }

        if (context.ContextWindow is not { } window)
        {
            return ServiceError.BadRequest(
                Code,
                $"The prompt is {N(prompt)} tokens; the service accepts at most {N(context.MaxPromptTokens ?? 0)}. Shorten it.",
                "messages");
        }

        if (context.MaxOutputTokens is not { } output || prompt >= window)
        {
            return ServiceError.BadRequest(
                Code,
                $"The prompt alone is {N(prompt)} tokens, more than the model's context window of {N(window)} tokens. Shorten it.",
                "messages");
        }

        string answer = outputLimitField ?? "the service's output limit";
        string fix = outputLimitField is not null
            ? $"Lower {outputLimitField} to at most {N(window - prompt)}, or shorten the prompt."
            : window > output
                ? $"Shorten the prompt to at most {N(window - output)} tokens, or ask the service's operator to lower its output limit."
                : "The output limit alone fills the window: this is the service's configuration, not your request; tell its operator.";
        return ServiceError.BadRequest(
            Code,
            $"The prompt ({N(prompt)} tokens) plus {answer} ({N(output)} tokens for the answer) come to {N((long)prompt + output)}, more than the model's context window of {N(window)} tokens. {fix}",
            outputLimitField ?? "messages");
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan time) =>
        time.TotalSeconds >= 1
            ? time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
            : time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
