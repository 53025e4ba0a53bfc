using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <content>Anthropic's error responses: its JSON body, its statuses (529 overloaded) and its rate-limit headers.</content>
public static partial class Respond
{
    /// <summary>The <c>request-id</c> header (and body <c>request_id</c>) Anthropic-style errors carry.</summary>
    public const string AnthropicRequestId = "req_011CTestRequestId";

    /// <summary>The message Anthropic sends with a 429 <c>rate_limit_error</c>.</summary>
    public const string AnthropicRateLimitMessage =
        "Number of request tokens has exceeded your per-minute rate limit (https://docs.claude.com/en/api/rate-limits); see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.";

    /// <summary>
    /// An error as Anthropic's API sends it: the status, <c>{"type":"error","error":{"type":TYPE,"message":MESSAGE},"request_id":…}</c>
    /// and a <c>request-id</c> header.
    /// </summary>
    /// <param name="status">The HTTP status: 400, 401, 403, 404, 413, 429, 500, 529…</param>
    /// <param name="type">The error type: <c>invalid_request_error</c>, <c>authentication_error</c>, <c>rate_limit_error</c>, <c>overloaded_error</c>…</param>
    /// <param name="message">The message.</param>
    /// <param name="headers">More headers, for example <c>("retry-after", "2")</c>.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="type"/>, <paramref name="message"/> or <paramref name="headers"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not between 100 and 599.</exception>
    public static Func<HttpContext, Task> AnthropicError(int status, string type, string message, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(headers);
        return Status(status, AnthropicErrorJson(type, message, AnthropicRequestId), "application/json", [("request-id", AnthropicRequestId), .. headers]);
    }

    /// <summary>A 529 <c>overloaded_error</c> (<c>"message":"Overloaded"</c>), Anthropic's retryable status when it has no capacity.</summary>
    /// <param name="retryAfter">The <c>retry-after</c> header's value as sent, or <see langword="null"/> for none.</param>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> AnthropicOverloaded(string? retryAfter = null) =>
        AnthropicError(529, "overloaded_error", AnthropicScript.OverloadedMessage, retryAfter is null ? [] : [("retry-after", retryAfter)]);

    /// <summary>
    /// A 429 <c>rate_limit_error</c> as Anthropic sends it: <c>retry-after</c> and the <c>anthropic-ratelimit-*</c> headers
    /// (limit, remaining and reset for requests, tokens, input tokens and output tokens; the reset an RFC 3339 time on
    /// the server's clock, <paramref name="retryAfter"/> seconds from now).
    /// </summary>
    /// <param name="retryAfter">The <c>retry-after</c> header's value in seconds, or <see langword="null"/> for none (the resets are then one second away).</param>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> AnthropicRateLimited(string? retryAfter = "2") => context =>
    {
        double seconds = retryAfter is not null && double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && parsed >= 0 ? parsed : 1;
        string reset = context.GetTestTimeProvider().GetUtcNow().AddSeconds(seconds).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var headers = new List<(string, string)>
        {
            ("anthropic-ratelimit-requests-limit", "50"),
            ("anthropic-ratelimit-requests-remaining", "0"),
            ("anthropic-ratelimit-requests-reset", reset),
            ("anthropic-ratelimit-tokens-limit", "40000"),
            ("anthropic-ratelimit-tokens-remaining", "0"),
            ("anthropic-ratelimit-tokens-reset", reset),
            ("anthropic-ratelimit-input-tokens-limit", "30000"),
            ("anthropic-ratelimit-input-tokens-remaining", "0"),
            ("anthropic-ratelimit-input-tokens-reset", reset),
            ("anthropic-ratelimit-output-tokens-limit", "8000"),
            ("anthropic-ratelimit-output-tokens-remaining", "8000"),
            ("anthropic-ratelimit-output-tokens-reset", reset),
        };
        if (retryAfter is not null)
        {
            headers.Insert(0, ("retry-after", retryAfter));
        }

        return AnthropicError(429, "rate_limit_error", AnthropicRateLimitMessage, [.. headers])(context);
    };

    /// <summary>A 401 <c>authentication_error</c> (<c>invalid x-api-key</c>), as Anthropic answers a wrong key.</summary>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> AnthropicUnauthorized() => AnthropicError(401, "authentication_error", "invalid x-api-key");

    internal static string AnthropicErrorJson(string type, string message, string? requestId) =>
        "{\"type\":\"error\",\"error\":{\"type\":" + JsonText.Quote(type) + ",\"message\":" + JsonText.Quote(message) + "}"
        + (requestId is null ? string.Empty : ",\"request_id\":" + JsonText.Quote(requestId)) + "}";
}
