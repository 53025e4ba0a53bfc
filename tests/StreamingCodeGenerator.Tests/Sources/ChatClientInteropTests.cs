using System.ClientModel;
using System.Net;
using Microsoft.Extensions.AI;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Sources;

/// <summary>Microsoft.Extensions.AI both ways: any IChatClient as the source, and the generator as an IChatClient.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ChatClientInteropTests
{
    private static readonly StreamingCodeGeneratorOptions ClientOptions = new() { Model = "scripted-model", MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(1) };

    [Test]
    public async Task ChatClientSource_UpdatesBecomeChunksStatsAndExactTokenCounts()
    {
        var client = new ScriptedChatClient([new([ScriptedChatClient.Text("Here:\n```py\n"), ScriptedChatClient.Text("print(1)\n```\n"), ScriptedChatClient.Finish()])]);
        var generator = new StreamingCodeGenerator(client, ClientOptions);
        CodeGenerationStream stream = generator.GenerateAsync(new CodeGenerationRequest("x") { Temperature = 0.5f, MaxOutputTokens = 99, StopSequences = ["END"] });

        (string text, List<Chunk> chunks) = await CollectAsync(stream);

        text.Should().Be("Here:\n```py\nprint(1)\n```\n");
        chunks.Where(c => c.Kind == ChunkKind.Code).Select(c => c.Text).Should().Equal("print(1)\n");
        stream.Stats.Usage!.OutputTokenCount.Should().Be(7);
        stream.Stats.TokenCount.Should().Be(7, "for a model whose tokenizer is unknown, the server's count replaces the local estimate at the end");
        stream.Stats.TokenCountKind.Should().Be(TokenCountKind.ServerReported);
        stream.Stats.FinishReason.Should().Be(FinishReason.Stop);
        stream.Stats.ModelId.Should().Be("scripted-model");
        ChatOptions sent = client.Calls.Single().Options!;
        sent.Temperature.Should().Be(0.5f);
        sent.MaxOutputTokens.Should().Be(99);
        sent.StopSequences.Should().Equal("END");
        client.Calls.Single().Messages.Last().Text.Should().Be("x");
    }

    public static IEnumerable<TestCaseData> ClientFailures()
    {
        yield return new TestCaseData(new HttpRequestException("denied", null, HttpStatusCode.Unauthorized), typeof(AuthenticationFailedException), 1).SetName("Http401_IsAuthenticationFailed_NotRetried");
        yield return new TestCaseData(new HttpRequestException("slow down", null, HttpStatusCode.TooManyRequests), typeof(RateLimitException), 3).SetName("Http429_IsRateLimited_Retried");
        yield return new TestCaseData(new ClientResultException("bad gateway", null), typeof(StreamInterruptedException), 3).SetName("ClientResultWithoutStatus_IsInterrupted_Retried");
        yield return new TestCaseData(new HttpRequestException("connection refused"), typeof(StreamInterruptedException), 3).SetName("ConnectionFailure_IsInterrupted_Retried");
        yield return new TestCaseData(new TimeoutException("too slow"), typeof(StreamInterruptedException), 3).SetName("ClientTimeout_IsInterrupted_Retried");
        yield return new TestCaseData(new InvalidOperationException("odd"), typeof(CodeGenerationException), 1).SetName("UnknownFailure_IsWrapped_NotRetried");
    }

    [TestCaseSource(nameof(ClientFailures))]
    public async Task ChatClientSource_ClientExceptions_BecomeTypedFailures(Exception thrown, Type expected, int attempts)
    {
        var client = new ScriptedChatClient([new([], thrown)]);
        CodeGenerationStream stream = new StreamingCodeGenerator(client, ClientOptions).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        error.Should().BeOfType(expected);
        stream.Stats.Attempts.Should().Be(attempts);
    }

    [Test]
    public async Task ChatClientSource_FailureAfterContent_IsNotRetried_AndCarriesThePartialText()
    {
        var client = new ScriptedChatClient([new([ScriptedChatClient.Text("partial ")], new HttpRequestException("reset"))]);
        CodeGenerationStream stream = new StreamingCodeGenerator(client, ClientOptions).GenerateAsync("x");

        (Exception? error, string received) = await CollectFailureAsync(stream);

        received.Should().Be("partial ");
        error.Should().BeOfType<StreamInterruptedException>().Which.PartialText.Should().Be("partial ");
        stream.Stats.Attempts.Should().Be(1);
    }

    [Test]
    public async Task ChatClientSource_StreamEndingWithoutAFinishReason_IsCut_WithThePartialText()
    {
        var client = new ScriptedChatClient([new([ScriptedChatClient.Text("def f("), ScriptedChatClient.Text("x")])]);
        CodeGenerationStream stream = new StreamingCodeGenerator(client, ClientOptions).GenerateAsync("x");

        (Exception? error, string received) = await CollectFailureAsync(stream);

        received.Should().Be("def f(x");
        StreamInterruptedException cut = error.Should().BeOfType<StreamInterruptedException>().Subject;
        cut.Reason.Should().Be(StreamInterruptionReason.EndedWithoutFinishReason);
        cut.PartialText.Should().Be("def f(x");
        cut.Message.Should().Contain("no finish reason from the chat client");
        stream.Stats.Attempts.Should().Be(1, "content had arrived");
    }

    [Test]
    public async Task AsChatClient_Streaming_CarriesTextIdsAndAFinalUpdateWithFinishReasonAndUsage()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("Hello", ", world"));
        IChatClient client = Create(Options(server)).AsChatClient();

        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "hi")], new ChatOptions { ModelId = "gpt-4.1-mini", Temperature = 0.1f }))
        {
            updates.Add(update);
        }

        string.Concat(updates.Select(u => u.Text)).Should().Be("Hello, world");
        updates.Where(u => u.Text.Length > 0).Should().OnlyContain(u => u.ResponseId == SseEvents.Id && u.ModelId == SseEvents.Model && u.Role == ChatRole.Assistant);
        ChatResponseUpdate last = updates[^1];
        last.FinishReason.Should().Be(ChatFinishReason.Stop);
        last.Contents.OfType<UsageContent>().Single().Details.InputTokenCount.Should().Be(12);
        server.Requests.Single().Json.GetProperty("model").GetString().Should().Be("gpt-4.1-mini");
        server.Requests.Single().Json.GetProperty("temperature").GetSingle().Should().Be(0.1f);
    }

    [Test]
    public async Task AsChatClient_NonStreaming_ReturnsTheWholeResponse_AndASystemMessageReplacesTheDefault()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("All ", "of it"));
        IChatClient client = Create(Options(server)).AsChatClient();

        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "hi")]);

        response.Text.Should().Be("All of it");
        response.FinishReason.Should().Be(ChatFinishReason.Stop);
        response.ResponseId.Should().Be(SseEvents.Id);
        response.Usage!.OutputTokenCount.Should().Be(2);
        System.Text.Json.JsonElement messages = server.Requests.Single().Json.GetProperty("messages");
        messages.GetArrayLength().Should().Be(2);
        messages[0].GetProperty("content").GetString().Should().Be("Be brief.");
        client.GetService<ChatClientMetadata>()!.ProviderName.Should().Be("openai");
        client.GetService<StreamingCodeGenerator>().Should().NotBeNull();
    }

    [Test]
    public async Task RoundTrip_GeneratorToChatClientToGenerator_KeepsTheTextExact()
    {
        const string answer = "Sort:\n\n```python title=\"s.py\"\ndef s(x):\n    return sorted(x)  # ünïcödé 😀\n```\nDone.";
        string[] deltas = [answer[..7], answer[7..30], answer[30..51], answer[51..]];
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(deltas));
        IChatClient inner = Create(Options(server)).AsChatClient();
        var outer = new StreamingCodeGenerator(inner, new StreamingCodeGeneratorOptions { Model = "gpt-4o-mini" });

        CodeGenerationStream stream = outer.GenerateAsync("sort");
        (string text, _) = await CollectAsync(stream);

        text.Should().Be(answer);
        stream.Result!.CodeBlocks.Single().FileName.Should().Be("s.py");
        stream.Stats.Usage!.InputTokenCount.Should().Be(12, "the inner server's usage travels through");
        stream.Stats.TokenCount.Should().Be(Tokenizer.ForModel("gpt-4o-mini").CountTokens(answer));
    }

    [Test]
    public async Task Progress_IsThrottledOnTheClock_AndReportedOnceAtTheEnd()
    {
        var time = new TimerAwareFakeTimeProvider();
        var release = new SemaphoreSlim(0);
        await using var server = await OpenAITestServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            for (int i = 0; i < 6; i++)
            {
                await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, SseEvents.Content($"p{i} "), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await release.WaitAsync(context.RequestAborted);
            }

            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, SseEvents.Finish() + SseEvents.Done, context.RequestAborted);
        });
        StreamingCodeGeneratorOptions options = Options(server, time);
        options.ProgressInterval = TimeSpan.FromMilliseconds(100);
        var reports = new List<StreamStats>();
        var progress = new SynchronousProgress(reports);
        CodeGenerationStream stream = Create(options).GenerateAsync(new CodeGenerationRequest("x") { Progress = progress });

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        int[] advanceMs = [0, 40, 70, 0, 150, 10];
        for (int i = 0; i < 6; i++)
        {
            int characters = (i + 1) * 3;
            await TestWait.UntilAsync(() => stream.Stats.CharacterCount == characters, $"chunk {i} delivered");
            time.Advance(TimeSpan.FromMilliseconds(advanceMs[i]));
            release.Release();
        }

        await run.Soon();

        // Chunks at 0, 0, 40, 110, 110, 260 ms: reports at 0 (first), 110 (>= 100 since 0), 260 (>= 100 since 110), then the end.
        lock (reports)
        {
            reports.Select(r => r.CharacterCount).Should().Equal(3, 12, 18, 18);
            reports[^1].Status.Should().Be(StreamStatus.Completed);
        }
    }

    /// <summary>Reports on the reporting thread (no synchronization context), so the test sees every report in order.</summary>
    private sealed class SynchronousProgress(List<StreamStats> reports) : IProgress<StreamStats>
    {
        public void Report(StreamStats value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
