using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Streaming;

/// <summary>Every fault a real server produces becomes a typed exception that keeps what was already delivered.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class StreamFaultTests
{
    [Test]
    public async Task CutConnectionAfterChunks_ThrowsInterruptedWithExactPartialText()
    {
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Sse([SseEvents.Role(), SseEvents.Content("public int "), SseEvents.Content("Add(int a")], Respond.CutWhen(() => stream!.Stats.CharacterCount == 20)));
        stream = Create(Options(server)).GenerateAsync("x");

        (Exception? error, string received) = await CollectFailureAsync(stream);

        received.Should().Be("public int Add(int a");
        var interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.Reason.Should().Be(StreamInterruptionReason.ConnectionLost);
        interrupted.PartialText.Should().Be("public int Add(int a");
        interrupted.Stats.CharacterCount.Should().Be(received.Length);
        interrupted.Stats.ServerEventCount.Should().Be(3);
        interrupted.Stats.Status.Should().Be(StreamStatus.Failed);
        stream.Stats.Status.Should().Be(StreamStatus.Failed);
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task BodyEndsWithoutFinishReasonOrDone_ThrowsInterrupted()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Content("abc"), SseEvents.Content("def")));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (Exception? error, string received) = await CollectFailureAsync(stream);

        received.Should().Be("abcdef");
        var interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.Reason.Should().Be(StreamInterruptionReason.EndedWithoutFinishReason);
        interrupted.PartialText.Should().Be("abcdef");
    }

    [Test]
    public async Task ErrorEventMidStream_ThrowsInterruptedWithServersMessage()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            SseEvents.Content("def sort(xs):"),
            SseEvents.ErrorEvent("The server had an error while processing your request. Sorry about that!"),
            SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        var interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.Message.Should().Be("The server had an error while processing your request. Sorry about that!");
        interrupted.Reason.Should().Be(StreamInterruptionReason.ServerError);
        interrupted.ErrorType.Should().Be("server_error");
        interrupted.PartialText.Should().Be("def sort(xs):");
    }

    [Test]
    public async Task ErrorEventWithSseEventName_IsAnError()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            SseEvents.Content("a"),
            "event: error\ndata: {\"message\":\"overloaded\"}\n\n"));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        error.Should().BeOfType<StreamInterruptedException>().Which.Message.Should().Be("overloaded");
    }

    [Test]
    public async Task MalformedJsonMidStream_ThrowsMalformedWithOffendingLineAndPartialText()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            SseEvents.Content("let x = 1;"),
            "data: {\"choices\":[{\"delta\":{\"content\":\"oops\"\n\n",
            SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        var malformed = error.Should().BeOfType<MalformedResponseException>().Subject;
        malformed.OffendingLine.Should().Be("{\"choices\":[{\"delta\":{\"content\":\"oops\"");
        malformed.PartialText.Should().Be("let x = 1;");
        malformed.InnerException.Should().NotBeNull();
    }

    [Test]
    public async Task NonJsonData_ThrowsMalformedWithLineCutToSafeLength()
    {
        string garbage = "<html>" + new string('x', 5000);
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse("data: " + garbage + "\n\n"));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        var malformed = error.Should().BeOfType<MalformedResponseException>().Subject;
        malformed.OffendingLine!.Length.Should().BeLessThanOrEqualTo(MalformedResponseException.MaxOffendingLineLength + 1);
        malformed.OffendingLine.Should().StartWith("<html>");
        malformed.PartialText.Should().BeEmpty();
    }

    [Test]
    public async Task EventLargerThanMaxEventSize_ThrowsMalformed()
    {
        string huge = "data: {\"choices\":[{\"delta\":{\"content\":\"" + new string('a', 20_000) + "\"}}]}\n\n";
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Content("ok"), huge, SseEvents.Done));
        StreamingCodeGeneratorOptions options = Options(server);
        options.MaxEventSize = 8 * 1024;
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        var malformed = error.Should().BeOfType<MalformedResponseException>().Subject;
        malformed.Message.Should().Contain("MaxEventSize");
        malformed.PartialText.Should().Be("ok");
    }

    [Test]
    public async Task EndlessDataLinesWithoutBlankLine_AreBoundedToo()
    {
        string[] lines = Enumerable.Repeat("data: {\"a\":1}\n", 2000).ToArray();
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(lines, Respond.Stall));
        StreamingCodeGeneratorOptions options = Options(server);
        options.MaxEventSize = 4 * 1024;

        (Exception? error, _) = await CollectFailureAsync(Create(options).GenerateAsync("x"));

        error.Should().BeOfType<MalformedResponseException>();
    }

    [Test]
    public async Task Unauthorized_ThrowsAuthenticationFailedWithoutTheKeyAnywhere()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(
            401,
            $"Incorrect API key provided: {ApiKey}. You can find your API key at https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key",
            headers: ("x-request-id", "req_123")));
        StreamingCodeGeneratorOptions options = Options(server, maxRetries: 3);
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        var auth = error.Should().BeOfType<AuthenticationFailedException>().Subject;
        auth.StatusCode.Should().Be(401);
        auth.ErrorCode.Should().Be("invalid_api_key");
        auth.ErrorType.Should().Be("invalid_request_error");
        auth.RequestId.Should().Be("req_123");
        auth.Message.Should().NotContain("SECRET").And.Contain("***");
        auth.ToString().Should().NotContain("SECRET");
        (auth.ServerMessage ?? string.Empty).Should().NotContain("SECRET");
        stream.Stats.Attempts.Should().Be(1, "401 is never retried");
    }

    [Test]
    public async Task PartiallyMaskedKeyEchoedByServer_IsRedacted()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(401, "Incorrect API key provided: sk-proj-abc*****************xyz1.", "invalid_request_error", "invalid_api_key"));

        (Exception? error, _) = await CollectFailureAsync(Create(Options(server)).GenerateAsync("x"));

        error!.Message.Should().NotContain("abc").And.NotContain("xyz1");
    }

    [Test]
    public async Task Forbidden_ThrowsAuthenticationFailed()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(403, "Project does not have access to model", "invalid_request_error", "model_not_found"));

        (Exception? error, _) = await CollectFailureAsync(Create(Options(server)).GenerateAsync("x"));

        error.Should().BeOfType<AuthenticationFailedException>().Which.StatusCode.Should().Be(403);
    }

    [Test]
    public async Task ContextLengthExceeded_ThrowsTypedException()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(
            400,
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
            "invalid_request_error",
            "context_length_exceeded",
            "messages"));

        (Exception? error, _) = await CollectFailureAsync(Create(Options(server, maxRetries: 3)).GenerateAsync("x"));

        var exceeded = error.Should().BeOfType<ContextLengthExceededException>().Subject;
        exceeded.StatusCode.Should().Be(400);
        exceeded.ServerMessage.Should().Contain("maximum context length");
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task HtmlBadGatewayFromProxy_ThrowsApiExceptionWithStatusNotAParseCrash()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Status(
            502,
            "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>",
            "text/html"));

        (Exception? error, _) = await CollectFailureAsync(Create(Options(server)).GenerateAsync("x"));

        var api = error.Should().BeOfType<ApiException>().Subject;
        api.StatusCode.Should().Be(502);
        api.ServerMessage.Should().Be("502 Bad Gateway 502 Bad Gateway nginx");
        api.Message.Should().Contain("502");
    }

    [Test]
    public async Task NotFound_ThrowsApiExceptionWithServerFields()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(404, "The model `gpt-9` does not exist", "invalid_request_error", "model_not_found", headers: ("apim-request-id", "azure-1")));

        (Exception? error, _) = await CollectFailureAsync(Create(Options(server, maxRetries: 3)).GenerateAsync("x"));

        var api = error.Should().BeOfType<ApiException>().Subject;
        api.StatusCode.Should().Be(404);
        api.ErrorCode.Should().Be("model_not_found");
        api.RequestId.Should().Be("azure-1");
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task ConnectionRefused_ThrowsInterruptedConnectionLost()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/v1/"), Model = "m", MaxRetries = 0 });

        (Exception? error, _) = await CollectFailureAsync(generator.GenerateAsync("x"));

        error.Should().BeOfType<StreamInterruptedException>().Which.Reason.Should().Be(StreamInterruptionReason.ConnectionLost);
    }
}
