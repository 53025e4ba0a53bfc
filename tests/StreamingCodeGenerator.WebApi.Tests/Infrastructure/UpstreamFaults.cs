using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>The upstream failures before the first chunk, and the status each must become.</summary>
public static class UpstreamFaults
{
    public sealed record Case(string Name, Func<HttpContext, Task> Script, int Status, string Code, string? RetryAfter, Dictionary<string, string?> Settings)
    {
        public override string ToString() => Name;

        /// <summary>
        /// Asserts that <paramref name="response"/> is the service's own JSON error for this fault (status, code,
        /// Retry-After) with nothing of the upstream's body or the key in it, and returns the body.
        /// </summary>
        public async Task<string> ShouldBeAnsweredByAsync(HttpResponseMessage response)
        {
            ((int)response.StatusCode).Should().Be(Status);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            string body = await response.Content.ReadAsStringAsync();
            JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be(Code);
            if (RetryAfter is not null)
            {
                response.Headers.GetValues("Retry-After").Should().Equal(RetryAfter);
            }

            body.Should().NotContain("Incorrect API key").And.NotContain("sk-test").And.NotContain("organization").And.NotContain("<html");
            return body;
        }
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
