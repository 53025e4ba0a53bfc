using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Replay;

/// <summary>Record from one test server through the proxy, replay from another: same bytes, same text.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class SseRecordingProxyTests
{
    private const string Code = "def bubble_sort(items):\n    for end in range(len(items) - 1, 0, -1):\n        for i in range(end):\n            if items[i] > items[i + 1]:\n                items[i], items[i + 1] = items[i + 1], items[i]\n    return items\n";

    private static Func<HttpContext, Task> Upstream() => new SseScript()
        .WithHeader("x-request-id", "req_upstream")
        .Role()
        .Content("Here is a bubble sort — naïve but clear 😀:\n\n")
        .CodeBlock("python", Code, fileName: "sort.py", pieceLength: 7)
        .KeepAlive()
        .Content("It stops after n−1 passes.")
        .Finish()
        .Usage(30, 60)
        .Done();

    [Test]
    public async Task RecordThenReplay_ThroughTheLibrary_TheSameBytesAndTheExactText()
    {
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "bubble-sort.sse.jsonl");
        await using var upstream = await OpenAITestServer.StartAsync(Upstream());
        RawResponse direct = await RawHttp.PostAsync(upstream.BaseAddress);
        await using var proxy = await SseRecordingProxy.StartAsync(upstream.Endpoint, path);

        CodeGenerationResult recorded = await new StreamingCodeGenerator(proxy.CreateOptions("sk-live-REAL-KEY-1234567890")).GenerateAsync("Write a bubble sort in Python").ToResultAsync();
        SseTranscript transcript = await proxy.WaitForTranscriptAsync(0);

        await using var replay = await OpenAITestServer.StartAsync(Respond.ReplayInstantly(SseTranscript.Load(path)));
        CodeGenerationResult replayed = await replay.CreateGenerator().GenerateAsync("anything").ToResultAsync();
        RawResponse replayedRaw = await RawHttp.PostAsync(replay.BaseAddress);

        recorded.CodeBlocks.Single().Code.Should().Be(Code);
        replayed.Text.Should().Be(recorded.Text);
        replayed.CodeBlocks.Single().FileName.Should().Be("sort.py");
        replayed.Usage!.TotalTokenCount.Should().Be(90);
        transcript.GetBody().Should().Equal(direct.Body, "the transcript holds exactly what the upstream sent");
        replayedRaw.Body.Should().Equal(direct.Body);
        transcript.Request.Should().Be("POST /v1/chat/completions");
        transcript.StatusCode.Should().Be(200);
        transcript.ContentType.Should().Be("text/event-stream");
        transcript.Headers.Should().Contain("x-request-id", "req_upstream").And.Contain("Cache-Control", "no-cache");
        transcript.Ending.Should().Be(TranscriptEnding.Complete);
        transcript.Chunks.Should().OnlyContain(c => c.Delay >= TimeSpan.Zero);
        proxy.Transcripts.Should().ContainSingle();
    }

    [Test]
    public async Task Forwarding_Request_UpstreamGetsTheKeyBodyPathAndQuery()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var proxy = await SseRecordingProxy.StartAsync(upstream.Endpoint);

        RawResponse response = await RawHttp.PostAsync(proxy.Endpoint, "/v1/chat/completions?api-version=1", RawHttp.ChatBody, ("Authorization", "Bearer sk-forward-me-123456"), ("x-custom", "kept"));

        RecordedRequest forwarded = upstream.Requests.Single();
        forwarded.ApiKey.Should().Be("sk-forward-me-123456");
        forwarded.Body.Should().Be(RawHttp.ChatBody);
        forwarded.Path.Should().Be("/v1/chat/completions");
        forwarded.QueryString.Should().Be("?api-version=1");
        forwarded.GetHeader("x-custom").Should().Be("kept");
        forwarded.GetHeader("Host").Should().Be(upstream.BaseAddress.Authority);
        response.Text.Should().Be(string.Concat(SseEvents.StandardAnswer("ok")));
        proxy.Endpoint.AbsolutePath.Should().Be("/v1/");
    }

    [Test]
    public async Task Recording_UpstreamEchoesTheKeySplitAcrossWrites_ClientGetsItTranscriptNever()
    {
        const string Key = "sk-live-SECRET-abcdef0123456789";
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().EchoApiKeyInHeader("x-echo").Role().Trickle().EchoApiKey().Trickle(false).Finish().Done());
        using var directory = new TempDirectory();
        string path = Path.Combine(directory.Path, "leak.sse.jsonl");
        await using var proxy = await SseRecordingProxy.StartAsync(upstream.Endpoint, path);

        RawResponse response = await RawHttp.PostAsync(proxy.Endpoint, headers: ("Authorization", "Bearer " + Key));
        SseTranscript transcript = await proxy.WaitForTranscriptAsync(0);

        response.Header("x-echo").Should().Be(Key, "the client gets the response unchanged");
        response.Text.Should().Contain("Your key is " + Key);
        string file = await File.ReadAllTextAsync(path);
        file.Should().NotContain(Key).And.NotContain("SECRET").And.Contain("Your key is [REDACTED].");
        transcript.Headers["x-echo"].Should().Be("[REDACTED]");
        transcript.GetBodyText().Should().Be(response.Text.Replace(Key, "[REDACTED]", StringComparison.Ordinal));
    }

    [Test]
    public async Task Recording_AzureApiKeyHeader_IsRedactedToo()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().EchoApiKey().Finish().Done());
        await using var proxy = await SseRecordingProxy.StartAsync(upstream.Endpoint);

        await RawHttp.PostAsync(proxy.Endpoint, headers: ("api-key", "azure-0123456789abcdef"));
        SseTranscript transcript = await proxy.WaitForTranscriptAsync(0);

        upstream.Requests.Single().ApiKey.Should().Be("azure-0123456789abcdef");
        transcript.ToJsonLines().Should().NotContain("azure-0123456789abcdef").And.Contain("[REDACTED]");
    }

    [Test]
    public async Task Recording_UpstreamCutsTheStream_TranscriptEndsCutAndTheClientIsCutToo()
    {
        CodeGenerationStream? stream = null;
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("partial").CutWhen(() => stream!.Stats.CharacterCount == 7));
        await using var proxy = await SseRecordingProxy.StartAsync(upstream.Endpoint);
        stream = new StreamingCodeGenerator(proxy.CreateOptions(null)).GenerateAsync("x");

        (Exception? error, string received) = await Consume.FailureAsync(stream);
        SseTranscript transcript = await proxy.WaitForTranscriptAsync(0);

        error.Should().BeOfType<StreamInterruptedException>().Which.Reason.Should().Be(StreamInterruptionReason.ConnectionLost);
        received.Should().Be("partial");
        transcript.Ending.Should().Be(TranscriptEnding.Cut);
        transcript.GetBodyText().Should().Be(SseEvents.Role() + SseEvents.Content("partial"));
        transcript.ToJsonLines().Should().EndWith("\"end\":\"cut\"}\n");
    }

    [Test]
    public async Task Recording_ErrorStatus_IsForwardedAndRecordedWithItsHeaders()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.RateLimited(retryAfter: "2"));
        await using var proxy = await SseRecordingProxy.StartAsync(upstream.Endpoint);

        (Exception? error, _) = await Consume.FailureAsync(new StreamingCodeGenerator(proxy.CreateOptions("sk-proxy-key-12345")).GenerateAsync("x"));
        SseTranscript transcript = await proxy.WaitForTranscriptAsync(0);

        error.Should().BeOfType<RateLimitException>().Which.RetryAfter.Should().Be(TimeSpan.FromSeconds(2));
        transcript.StatusCode.Should().Be(429);
        transcript.ContentType.Should().Be("application/json");
        transcript.Headers.Should().ContainKey("Retry-After").And.NotContainKey("Content-Length").And.NotContainKey("Date");
        transcript.GetBodyText().Should().Be(SseEvents.ErrorJson(Respond.RateLimitMessage, "requests", "rate_limit_exceeded"));
    }

    [Test]
    public async Task Recording_ClientGoesAwayMidStream_TranscriptEndsCutAndUpstreamSeesTheDisconnect()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("a").Stall());
        await using var proxy = await SseRecordingProxy.StartAsync(upstream.Endpoint);
        using var cancel = new CancellationTokenSource();

        Func<Task> consume = async () =>
        {
            await foreach (Chunk _ in new StreamingCodeGenerator(proxy.CreateOptions(null)).GenerateAsync("x").WithCancellation(cancel.Token))
            {
                await cancel.CancelAsync();
            }
        };

        await consume.Should().ThrowAsync<OperationCanceledException>();
        SseTranscript transcript = await proxy.WaitForTranscriptAsync(0);
        transcript.Ending.Should().Be(TranscriptEnding.Cut);
        await upstream.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task GetTranscriptPath_DirectoryOrFile_NamesEachRequestsFile()
    {
        using var directory = new TempDirectory();
        string root = directory.Path;
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("x"));
        await using var toDirectory = await SseRecordingProxy.StartAsync(upstream.Endpoint, root);
        await using var toFile = await SseRecordingProxy.StartAsync(upstream.Endpoint, Path.Combine(root, "chat.sse.jsonl"));

        await RawHttp.PostAsync(toDirectory.Endpoint);
        await RawHttp.PostAsync(toDirectory.Endpoint);
        await toDirectory.WaitForTranscriptAsync(1);

        toDirectory.GetTranscriptPath(1).Should().Be(Path.Combine(root, "0001.sse.jsonl"));
        File.Exists(Path.Combine(root, "0000.sse.jsonl")).Should().BeTrue();
        File.Exists(Path.Combine(root, "0001.sse.jsonl")).Should().BeTrue();
        toFile.GetTranscriptPath(0).Should().Be(Path.Combine(root, "chat.sse.jsonl"));
        toFile.GetTranscriptPath(2).Should().Be(Path.Combine(root, "chat.sse.2.jsonl"));
        toDirectory.Transcripts.Should().HaveCount(2);
    }

    [Test]
    public async Task Forwarding_UpstreamUnreachable_Answers502AndTheWaitThrows()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        await using var proxy = await SseRecordingProxy.StartAsync(new Uri($"http://127.0.0.1:{port}/v1/"));

        RawResponse response = await RawHttp.PostAsync(proxy.Endpoint);

        response.Status.Should().Be(502);
        response.Text.Should().Contain("SseRecordingProxy could not reach");
        Func<Task> wait = () => proxy.WaitForTranscriptAsync(0);
        await wait.Should().ThrowAsync<HttpRequestException>();
    }

    [Test]
    public async Task StartAsync_RelativeOrNonHttpUpstream_Throws()
    {
        Func<Task> relative = () => SseRecordingProxy.StartAsync(new Uri("/v1/", UriKind.Relative));
        Func<Task> ftp = () => SseRecordingProxy.StartAsync(new Uri("ftp://example.com/"));

        await relative.Should().ThrowAsync<ArgumentException>();
        await ftp.Should().ThrowAsync<ArgumentException>();
    }
}
