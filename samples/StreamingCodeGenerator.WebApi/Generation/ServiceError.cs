namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>
/// One failure as the service reports it, whichever route: the HTTP status (before the response started), a stable
/// code, OpenAI's error type, a message written by the service (never an upstream body passed through), the
/// offending parameter and, for 429 and 503, how long to wait.
/// </summary>
internal sealed record ServiceError(int Status, string Code, string Message, string? Param = null, TimeSpan? RetryAfter = null)
{
    /// <summary>
    /// Gets OpenAI's <c>type</c> for the status: <c>invalid_request_error</c> for every 4xx but 429 (OpenAI answers a
    /// wrong or missing key so too, with the code saying which), <c>rate_limit_error</c>, <c>server_error</c>.
    /// </summary>
    public string Type => Status switch
    {
        429 => "rate_limit_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "server_error",
    };

    /// <summary>Gets the short title problem details use.</summary>
    public string Title => Status switch
    {
        400 => "Invalid request",
        401 => "Authentication required",
        404 => "Not found",
        405 => "Method not allowed",
        413 => "Request too large",
        415 => "Unsupported media type",
        422 => "Repository unavailable",
        429 => "Too many requests",
        502 => "Model provider failed",
        503 => "Service unavailable",
        504 => "Model provider timed out",
        _ => "Service error",
    };

    /// <summary>Gets the <c>Retry-After</c> header's value, in whole seconds (at least 1), when there is one.</summary>
    public string? RetryAfterHeader => RetryAfter is { } wait
        ? Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : null;

    public static ServiceError BadRequest(string code, string message, string? param = null) => new(400, code, message, param);
}
