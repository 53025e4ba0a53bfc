using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>The upstream failures before the first chunk, and the status each must become.</summary>
public static class UpstreamFaults
{
    public sealed record Case(string Name, Func<HttpContext, Task> Script, int Status, string Code, string? RetryAfter, Dictionary<string, string?> Settings)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Case> All()
    {
        yield return new("429 with Retry-After", Respond.RateLimited(retryAfter: "7"), 429, "rate_limit_exceeded", "7", []);
        yield return new("429 without Retry-After", Respond.RateLimited(), 429, "rate_limit_exceeded", "10", []);
        yield return new("401 wrong key", Respond.Unauthorized(), 502, "upstream_authentication_failed", null, []);
        yield return new("context too long", Respond.ContextLengthExceeded(), 400, "context_length_exceeded", null, []);
        yield return new("500", Respond.ServerError(500), 502, "upstream_error", null, []);
        yield return new("nginx HTML 502", Respond.BadGatewayHtml(), 502, "upstream_error", null, []);
        yield return new("malformed", new SseScript().Role().MalformedData().Build(), 502, "upstream_malformed", null, []);
        yield return new(
            "service first-chunk deadline",
            Respond.StallBeforeHeaders(),
            504,
            "upstream_timeout",
            null,
            new() { ["WebApi:FirstChunkDeadline"] = "00:00:00.3" });
        yield return new(
            "library first-chunk timeout",
            new SseScript().Role().Stall().Build(),
            504,
            "upstream_timeout",
            null,
            new() { ["StreamingCodeGenerator:FirstChunkTimeout"] = "00:00:00.3" });
    }
}
