using System.Globalization;

namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>
/// Turns what a generation failed with into the service's answer. Before the response starts, each failure gets its own
/// status; after, the same error travels in-band. Messages are the service's own: an upstream's error text can hold
/// account details, and its authentication errors are about the service's key, not the caller's.
/// </summary>
internal static class UpstreamErrors
{
    /// <summary>How long a client is asked to wait after an upstream 429 that did not say.</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(10);

    public static ServiceError Map(Exception exception, GenerationCancellation cancellation, TimeSpan firstChunkDeadline)
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
            ContextLengthExceededException context => ServiceError.BadRequest(
                "context_length_exceeded",
                context.PromptTokens is { } tokens && context.MaxPromptTokens is { } limit
                    ? $"The prompt is {tokens.ToString("N0", CultureInfo.InvariantCulture)} tokens; the model accepts {limit.ToString("N0", CultureInfo.InvariantCulture)}. Shorten it."
                    : "The prompt does not fit the model's context window. Shorten it.",
                "messages"),
            RateLimitException rateLimit => new ServiceError(
                429,
                rateLimit.IsQuotaExhausted ? "insufficient_quota" : "rate_limit_exceeded",
                rateLimit.IsQuotaExhausted
                    ? "The service's model quota is exhausted. Try again later."
                    : "The model provider is rate-limiting the service. Retry after the time in Retry-After.",
                RetryAfter: rateLimit.RetryAfter ?? DefaultRetryAfter),
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

    private static string Seconds(TimeSpan time) =>
        time.TotalSeconds >= 1
            ? time.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
            : time.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms";
}
