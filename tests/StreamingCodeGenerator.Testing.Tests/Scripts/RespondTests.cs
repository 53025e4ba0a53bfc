using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Scripts;

/// <summary>Each ready-made script sends the exact status, headers and bytes it documents, and the library turns each fault into its typed exception.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed partial class RespondTests
{
    private static async Task<RawResponse> SendAsync(Func<HttpContext, Task> script)
    {
        await using var server = await OpenAITestServer.StartAsync(script);
        return await RawHttp.PostAsync(server.BaseAddress, headers: ("Authorization", "Bearer " + OpenAITestServer.DefaultApiKey));
    }

    private static async Task<Exception?> FailureAsync(Func<HttpContext, Task> script)
    {
        await using var server = await OpenAITestServer.StartAsync(script);
        (Exception? error, _) = await Consume.FailureAsync(server.CreateGenerator().GenerateAsync("x"));
        return error;
    }

    [Test]
    public async Task Sse_Pieces_EachPieceIsOneWriteAsIs()
    {
        RawResponse response = await SendAsync(Respond.Sse("data: a\n", "\n", ": c\n\n"));

        response.Header("Content-Type").Should().Be("text/event-stream");
        response.ChunkTexts.Should().Equal("data: a\n", "\n", ": c\n\n");
        response.Complete.Should().BeTrue();
    }

    [Test]
    public async Task Sse_PiecesThenCut_TheBodyIsNotTerminated()
    {
        RawResponse response = await SendAsync(Respond.Sse([SseEvents.Content("a")], Respond.Cut));

        response.Complete.Should().BeFalse("the cut may even reset the connection before the client read the headers");
    }

    [Test]
    public async Task Answer_Contents_IsTheStandardAnswer()
    {
        RawResponse response = await SendAsync(Respond.Answer("a", "b"));

        response.ChunkTexts.Should().Equal(SseEvents.StandardAnswer("a", "b"));
    }

    [Test]
    public async Task Trickle_Body_OneBytePerWriteAndTheLibraryReadsItExactly()
    {
        string body = string.Concat(SseEvents.StandardAnswer("naïve ", "日本語 ", "😀"));
        RawResponse response = await SendAsync(Respond.Trickle(body));
        await using var server = await OpenAITestServer.StartAsync(Respond.Trickle(body));

        string text = await Consume.TextAsync(server.CreateGenerator().GenerateAsync("x"));

        response.Chunks.Should().AllSatisfy(c => c.Should().HaveCount(1));
        response.Text.Should().Be(body);
        text.Should().Be("naïve 日本語 😀");
    }

    [Test]
    public async Task Status_AnyResponse_SendsStatusTypeLengthAndHeaders()
    {
        RawResponse response = await SendAsync(Respond.Status(503, "Service Unavailable", "text/plain", ("Retry-After", "5")));

        response.Status.Should().Be(503);
        response.Header("Content-Type").Should().Be("text/plain");
        response.Header("Content-Length").Should().Be("19");
        response.Header("Retry-After").Should().Be("5");
        response.Text.Should().Be("Service Unavailable");
        response.Complete.Should().BeTrue();
    }

    [Test]
    public async Task Error_AllFields_SendsOpenAIsErrorBody()
    {
        RawResponse response = await SendAsync(Respond.Error(400, "bad", "invalid_request_error", "bad_code", "messages", ("x-request-id", "req_9")));

        response.Status.Should().Be(400);
        response.Header("Content-Type").Should().Be("application/json");
        response.Header("x-request-id").Should().Be("req_9");
        response.Text.Should().Be(SseEvents.ErrorJson("bad", "invalid_request_error", "bad_code", "messages"));
    }

    [Test]
    public async Task RateLimited_RetryAfterSeconds_LibraryThrowsRateLimitWithTheDelay()
    {
        RawResponse response = await SendAsync(Respond.RateLimited(retryAfter: "2"));
        Exception? error = await FailureAsync(Respond.RateLimited(retryAfter: "2"));

        response.Status.Should().Be(429);
        response.Header("Retry-After").Should().Be("2");
        response.Text.Should().Be(SseEvents.ErrorJson(Respond.RateLimitMessage, "requests", "rate_limit_exceeded"));
        var limited = error.Should().BeOfType<RateLimitException>().Subject;
        limited.StatusCode.Should().Be(429);
        limited.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        limited.ErrorCode.Should().Be("rate_limit_exceeded");
        limited.IsQuotaExhausted.Should().BeFalse();
    }

    [Test]
    public async Task RateLimited_RetryAfterMs_LibraryReadsMilliseconds()
    {
        RawResponse response = await SendAsync(Respond.RateLimited(retryAfterMs: "1500"));
        Exception? error = await FailureAsync(Respond.RateLimited(retryAfterMs: "1500"));

        response.Header("retry-after-ms").Should().Be("1500");
        response.Header("Retry-After").Should().BeNull();
        error.Should().BeOfType<RateLimitException>().Which.RetryAfter.Should().Be(TimeSpan.FromMilliseconds(1500));
    }

    [Test]
    public async Task RateLimited_InsufficientQuota_LibraryReportsQuotaExhausted()
    {
        Exception? error = await FailureAsync(Respond.RateLimited(code: "insufficient_quota"));

        error.Should().BeOfType<RateLimitException>().Which.IsQuotaExhausted.Should().BeTrue();
    }

    [Test]
    public async Task Unauthorized_Always_MasksTheKeyLikeOpenAIAndLibraryThrowsAuthenticationFailed()
    {
        RawResponse response = await SendAsync(Respond.Unauthorized());
        Exception? error = await FailureAsync(Respond.Unauthorized());

        response.Status.Should().Be(401);
        response.Text.Should().Contain("Incorrect API key provided: sk-test-******************CRET.").And.NotContain(OpenAITestServer.DefaultApiKey);
        var auth = error.Should().BeOfType<AuthenticationFailedException>().Subject;
        auth.StatusCode.Should().Be(401);
        auth.ErrorCode.Should().Be("invalid_api_key");
    }

    [Test]
    public async Task EchoApiKey_Default_SendsTheWholeKeyInBodyAndHeader()
    {
        RawResponse response = await SendAsync(Respond.EchoApiKey());

        response.Status.Should().Be(401);
        response.Header("x-request-id").Should().Be(OpenAITestServer.DefaultApiKey);
        response.Text.Should().Be(SseEvents.ErrorJson("Incorrect API key provided: " + OpenAITestServer.DefaultApiKey + ".", "invalid_request_error", "invalid_api_key"));
    }

    [Test]
    public async Task EchoApiKey_InTheMessage_LibraryExceptionMessageNeverHoldsTheKey()
    {
        Exception? error = await FailureAsync(Respond.EchoApiKey(header: null));

        var auth = error.Should().BeOfType<AuthenticationFailedException>().Subject;
        auth.Message.Should().NotContain(OpenAITestServer.DefaultApiKey);
        auth.ToString().Should().NotContain(OpenAITestServer.DefaultApiKey);
        (auth.ServerMessage ?? string.Empty).Should().NotContain(OpenAITestServer.DefaultApiKey);
    }

    [Test]
    public async Task EchoApiKey_InTheRequestIdHeader_LibraryExceptionNeverHoldsTheKey()
    {
        Exception? error = await FailureAsync(Respond.EchoApiKey());

        var auth = error.Should().BeOfType<AuthenticationFailedException>().Subject;
        auth.ToString().Should().NotContain(OpenAITestServer.DefaultApiKey);
        (auth.RequestId ?? string.Empty).Should().NotContain(OpenAITestServer.DefaultApiKey);
    }

    [Test]
    public async Task ContextLengthExceeded_Default_LibraryThrowsTypedExceptionWithoutRetrying()
    {
        RawResponse response = await SendAsync(Respond.ContextLengthExceeded());
        await using var server = await OpenAITestServer.StartAsync(Respond.ContextLengthExceeded());

        (Exception? error, _) = await Consume.FailureAsync(server.CreateGenerator(o => o.MaxRetries = 3).GenerateAsync("x"));

        response.Status.Should().Be(400);
        response.Text.Should().Contain("\"param\":\"messages\",\"code\":\"context_length_exceeded\"");
        error.Should().BeOfType<ContextLengthExceededException>().Which.ServerMessage.Should().Contain("maximum context length is 128000 tokens");
        server.RequestCount.Should().Be(1);
    }

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(504)]
    public async Task ServerError_Status_LibraryThrowsApiExceptionWithIt(int status)
    {
        Exception? error = await FailureAsync(Respond.ServerError(status));

        var api = error.Should().BeOfType<ApiException>().Subject;
        api.StatusCode.Should().Be(status);
        api.ServerMessage.Should().Be(Respond.ServerErrorMessage);
        api.ErrorType.Should().Be("server_error");
    }

    [Test]
    public async Task ServerError_ThenAnswer_LibraryRetriesAndSucceeds()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.ServerError(503), Respond.Answer("ok"));

        string text = await Consume.TextAsync(server.CreateGenerator(o =>
        {
            o.MaxRetries = 1;
            o.RetryBaseDelay = TimeSpan.Zero;
        }).GenerateAsync("x"));

        text.Should().Be("ok");
        server.RequestCount.Should().Be(2);
    }

    [Test]
    public async Task BadGatewayHtml_FromAProxy_LibraryThrowsApiExceptionNotAParseError()
    {
        RawResponse response = await SendAsync(Respond.BadGatewayHtml());
        Exception? error = await FailureAsync(Respond.BadGatewayHtml());

        response.Status.Should().Be(502);
        response.Header("Content-Type").Should().Be("text/html");
        response.Text.Should().Be(Respond.BadGatewayPage);
        var api = error.Should().BeOfType<ApiException>().Subject;
        api.StatusCode.Should().Be(502);
        api.ServerMessage.Should().Be("502 Bad Gateway 502 Bad Gateway nginx");
    }

    [Test]
    public async Task CaptivePortal_Always_Sends200WithAnHtmlPage()
    {
        RawResponse response = await SendAsync(Respond.CaptivePortal());

        response.Status.Should().Be(200);
        response.Header("Content-Type").Should().Be("text/html; charset=utf-8");
        response.Text.Should().Be(Respond.CaptivePortalPage);
    }

    [Test]
    public async Task Completion_Content_SendsANonStreamedChatCompletion()
    {
        RawResponse response = await SendAsync(Respond.Completion("Hello", promptTokens: 5, completionTokens: 1));

        response.Status.Should().Be(200);
        response.Header("Content-Type").Should().Be("application/json");
        response.Text.Should().Be(
            "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}");
    }

    [Test]
    public async Task Cut_AsTheWholeScript_LibraryThrowsConnectionLost()
    {
        Exception? error = await FailureAsync(Respond.Cut);

        error.Should().BeOfType<StreamInterruptedException>().Which.Reason.Should().Be(StreamInterruptionReason.ConnectionLost);
    }

    [Test]
    public async Task CutWhen_ClientHasTheText_LibraryKeepsExactlyIt()
    {
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Sse([SseEvents.Role(), SseEvents.Content("line 1\n"), SseEvents.Content("li")], Respond.CutWhen(() => stream!.Stats.CharacterCount == 9)));
        stream = server.CreateGenerator().GenerateAsync("x");

        (Exception? error, string received) = await Consume.FailureAsync(stream);

        received.Should().Be("line 1\nli");
        error.Should().BeOfType<StreamInterruptedException>().Which.PartialText.Should().Be("line 1\nli");
    }

    [Test]
    public async Task StallBeforeHeaders_LibraryFirstChunkTimeoutFiresAndTheServerSeesTheDisconnect()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.StallBeforeHeaders());

        (Exception? error, _) = await Consume.FailureAsync(server.CreateGenerator(o => o.FirstChunkTimeout = TimeSpan.FromMilliseconds(100)).GenerateAsync("x"));

        error.Should().BeOfType<StreamTimeoutException>().Which.Kind.Should().Be(StreamTimeoutKind.FirstChunk);
        await server.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task Stall_AfterPieces_ClientGoesAwayAndTheServerSeesIt()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse([SseEvents.Role(), SseEvents.Content("a")], Respond.Stall));

        (Exception? error, string received) = await Consume.FailureAsync(server.CreateGenerator(o => o.IdleTimeout = TimeSpan.FromMilliseconds(100)).GenerateAsync("x"));

        received.Should().Be("a");
        error.Should().BeOfType<StreamTimeoutException>();
        await server.ClientDisconnected(0).Soon();
    }
}
