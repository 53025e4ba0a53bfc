namespace StreamingCodeGeneration;

/// <summary>Decides which failures can succeed on another attempt.</summary>
internal static class RetryClassifier
{
    /// <summary>
    /// Retry 408, 429 (not <c>insufficient_quota</c>), 500, 502, 503, 504, connection failures, and streams that failed
    /// before their first content (cut, ended early, server error event, first-chunk or idle timeout while reasoning). Never 400, 401, 403, 404,
    /// 422, malformed bodies, or the total timeout.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RateLimitException rateLimit => !rateLimit.IsQuotaExhausted,
        ApiException api => api.StatusCode is 408 or 500 or 502 or 503 or 504,
        StreamInterruptedException interrupted => interrupted.Reason != StreamInterruptionReason.ServerError || !IsClientError(interrupted.ErrorType, interrupted.ErrorCode),
        // Only failures before anything reached the caller are classified; an idle timeout then means the model went
        // quiet while reasoning, which another attempt may get past.
        StreamTimeoutException timeout => timeout.Kind != StreamTimeoutKind.Total,
        _ => false,
    };

    private static bool IsClientError(string? type, string? code)
    {
        if (string.Equals(code, "insufficient_quota", StringComparison.Ordinal) || string.Equals(type, "insufficient_quota", StringComparison.Ordinal))
        {
            // A Responses stream's error event when the account is out of credit: no attempt will do better.
            return true;
        }

        if (type is not null && (type.Contains("invalid_request", StringComparison.OrdinalIgnoreCase)
            || type.Contains("authentication", StringComparison.OrdinalIgnoreCase)
            || type.Contains("permission", StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        return code is not null && int.TryParse(code, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int status)
            && status is >= 400 and < 500 and not 408 and not 429;
    }
}
