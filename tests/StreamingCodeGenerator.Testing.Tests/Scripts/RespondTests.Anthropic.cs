using System.Text.Json;
using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Scripts;

/// <content>Anthropic's error responses and the replay of recorded bodies.</content>
public sealed partial class RespondTests
{
    [Test]
    public async Task AnthropicOverloaded_RetryAfter_529WithAnthropicsBodyAndHeaders()
    {
        RawResponse response = await SendAsync(Respond.AnthropicOverloaded(retryAfter: "3"));

        response.Status.Should().Be(529);
        response.Header("Content-Type").Should().Be("application/json");
        response.Header("retry-after").Should().Be("3");
        response.Header("request-id").Should().Be(Respond.AnthropicRequestId);
        response.Text.Should().Be("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},\"request_id\":\"" + Respond.AnthropicRequestId + "\"}");
    }

    [Test]
    public async Task AnthropicOverloaded_NoRetryAfter_SendsNone()
    {
        RawResponse response = await SendAsync(Respond.AnthropicOverloaded());

        response.Header("retry-after").Should().BeNull();
    }

    [Test]
    public async Task AnthropicRateLimited_SendsRetryAfterAndRateLimitHeadersResettingOnTheServersClock()
    {
        var time = new TimerAwareFakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var server = await OpenAITestServer.StartAsync(new OpenAITestServerOptions { TimeProvider = time }, Respond.AnthropicRateLimited(retryAfter: "20"));

        RawResponse response = await RawHttp.PostAsync(server.BaseAddress, "/v1/messages");

        response.Status.Should().Be(429);
        response.Header("retry-after").Should().Be("20");
        response.Header("anthropic-ratelimit-requests-remaining").Should().Be("0");
        response.Header("anthropic-ratelimit-requests-reset").Should().Be("2026-03-01T12:00:20Z");
        response.Header("anthropic-ratelimit-tokens-reset").Should().Be("2026-03-01T12:00:20Z");
        using var body = JsonDocument.Parse(response.Text);
        body.RootElement.GetProperty("error").GetProperty("type").GetString().Should().Be("rate_limit_error");
        body.RootElement.GetProperty("error").GetProperty("message").GetString().Should().Be(Respond.AnthropicRateLimitMessage);
    }

    [Test]
    public async Task AnthropicUnauthorized_401AuthenticationError()
    {
        RawResponse response = await SendAsync(Respond.AnthropicUnauthorized());

        response.Status.Should().Be(401);
        response.Text.Should().Contain("\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"");
    }

    [Test]
    public async Task AnthropicError_AnyStatusAndType_WithExtraHeaders()
    {
        RawResponse response = await SendAsync(Respond.AnthropicError(413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", ("x-should-retry", "false")));

        response.Status.Should().Be(413);
        response.Header("x-should-retry").Should().Be("false");
        response.Text.Should().Contain("\"type\":\"request_too_large\"");
    }

    [TestCase("\n", TestName = "SseBody_LfEvents_OneWritePerEventExactly")]
    [TestCase("\r\n", TestName = "SseBody_CrLfEvents_OneWritePerEventExactly")]
    [TestCase("\r", TestName = "SseBody_CrEvents_OneWritePerEventExactly")]
    public async Task SseBody_Events_OneWritePerEventExactly(string newline)
    {
        string[] events =
        [
            "event: message_start" + newline + "data: {\"type\":\"message_start\"}" + newline + newline,
            ": comment" + newline + "event: ping" + newline + "data: {\"type\": \"ping\"}" + newline + newline,
            "event: message_stop" + newline + "data: {\"type\":\"message_stop\"}" + newline + newline,
        ];

        RawResponse response = await SendAsync(Respond.SseBody(System.Text.Encoding.UTF8.GetBytes(string.Concat(events))));

        response.Header("Content-Type").Should().Be("text/event-stream");
        response.ChunkTexts.Should().Equal(events);
    }

    [Test]
    public async Task SseBody_WithoutAFinalBlankLine_TheRestIsTheLastWrite()
    {
        RawResponse response = await SendAsync(Respond.SseBody("data: a\n\ndata: b"u8.ToArray()));

        response.ChunkTexts.Should().Equal("data: a\n\n", "data: b");
    }

    [Test]
    public async Task SseFile_ThenCut_WritesTheFileAndCuts()
    {
        string path = Path.Combine(Path.GetTempPath(), "scg-" + Guid.NewGuid().ToString("N") + ".sse");
        await File.WriteAllTextAsync(path, "event: message_start\ndata: {}\n\n");
        try
        {
            RawResponse complete = await SendAsync(Respond.SseFile(path));
            RawResponse cut = await SendAsync(Respond.SseFile(path, Respond.Cut));

            complete.ChunkTexts.Should().Equal("event: message_start\ndata: {}\n\n");
            complete.Complete.Should().BeTrue();
            cut.Complete.Should().BeFalse();
        }
        finally
        {
            File.Delete(path);
        }
    }
}
