using System.Text;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Streaming;

/// <summary>Real providers' wire shapes and bodies that are not what was asked for, end to end against the loopback server.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ProviderShapeTests
{
    private const string Head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",";

    private static string Delta(string deltaJson, string finish = "null") =>
        SseEvents.Data(Head + "\"choices\":[{\"index\":0,\"delta\":" + deltaJson + ",\"finish_reason\":" + finish + "}]}");

    [Test]
    public async Task ContentPartArrays_AreAnswerText_WholeAnswer()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            Delta("{\"role\":\"assistant\",\"content\":[]}"),
            Delta("{\"content\":[{\"type\":\"text\",\"text\":\"```python\\n\"}]}"),
            Delta("{\"content\":[{\"type\":\"text\",\"text\":\"print(1)\\n\"},{\"type\":\"text\",\"text\":\"```\\n\"}]}"),
            Delta("{\"content\":[{\"text\":\"Done.\",\"type\":\"text\"}]}"),
            Delta("{}", "\"stop\""),
            SseEvents.Done));

        CodeGenerationResult result = await Create(Options(server)).GenerateAsync("x").ToResultAsync();

        result.Text.Should().Be("```python\nprint(1)\n```\nDone.");
        result.CodeBlocks.Should().ContainSingle().Which.Code.Should().Be("print(1)\n");
    }

    [Test]
    public async Task MistralThinkingParts_AreReasoning_NeverAnswerText()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            Delta("{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"1+2 is \"}]}]}"),
            Delta("{\"content\":[{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":\"three\"}]},{\"type\":\"text\",\"text\":\"3\"}]}"),
            Delta("{}", "\"stop\""),
            SseEvents.Done));
        StreamingCodeGeneratorOptions options = Options(server);
        options.IncludeReasoning = true;
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        (_, List<Chunk> chunks) = await CollectAsync(stream);

        string.Concat(chunks.Where(c => c.Kind == ChunkKind.Reasoning).Select(c => c.Text)).Should().Be("1+2 is three");
        string.Concat(chunks.Where(c => c.Kind != ChunkKind.Reasoning).Select(c => c.Text)).Should().Be("3");
        stream.Stats.CharacterCount.Should().Be(1);
        stream.Stats.ReasoningCharacterCount.Should().Be("1+2 is three".Length);
    }

    [Test]
    public async Task ReasoningContent_IsLeftOutByDefault_ButCounted()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            Delta("{\"reasoning_content\":\"Let me think.\"}"),
            Delta("{\"reasoning\":\" Still thinking.\"}"),
            Delta("{\"content\":\"Answer\"}"),
            Delta("{}", "\"stop\""),
            SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, List<Chunk> chunks) = await CollectAsync(stream);

        text.Should().Be("Answer");
        chunks.Should().OnlyContain(c => c.Kind != ChunkKind.Reasoning);
        stream.Stats.ReasoningCharacterCount.Should().Be("Let me think. Still thinking.".Length);
        stream.Stats.TokenCount.Should().Be(1);
    }

    [Test]
    public async Task IncludeReasoning_YieldsReasoningChunks_OutsidePartialTextAndCodeBlocks()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            [Delta("{\"reasoning_content\":\"```python\\nnot code\\n\"}"), Delta("{\"content\":\"real \"}"), Delta("{\"reasoning_content\":\"more\"}"), Delta("{\"content\":\"text\"}")],
            Respond.Cut));
        StreamingCodeGeneratorOptions options = Options(server);
        options.IncludeReasoning = true;
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        var interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.PartialText.Should().NotContain("not code").And.NotContain("more");
        "real text".Should().StartWith(interrupted.PartialText);
    }

    [Test]
    public async Task IncludeReasoning_ReasoningChunksHaveTheirOwnKindAndIndexes()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            Delta("{\"reasoning_content\":\"plan\"}"),
            Delta("{\"content\":\"```js\\nx()\\n```\\n\"}"),
            Delta("{}", "\"stop\""),
            SseEvents.Done));
        StreamingCodeGeneratorOptions options = Options(server);
        options.IncludeReasoning = true;

        CodeGenerationResult result = await Create(options).GenerateAsync("x").ToResultAsync();
        (string _, List<Chunk> chunks) = await CollectAsync(Create(options).GenerateAsync("x"));

        result.Text.Should().Be("```js\nx()\n```\n");
        result.CodeBlocks.Should().ContainSingle().Which.Code.Should().Be("x()\n");
        chunks[0].Kind.Should().Be(ChunkKind.Reasoning);
        chunks[0].Text.Should().Be("plan");
        chunks.Select(c => c.Index).Should().Equal(Enumerable.Range(0, chunks.Count));
    }

    [Test]
    public async Task ReasoningDeltas_AreActivity_ForTheFirstChunkTimer()
    {
        var time = new TimerAwareFakeTimeProvider();
        var step = new SemaphoreSlim(0);
        await using var server = await OpenAITestServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            for (int i = 0; i < 3; i++)
            {
                await context.Response.WriteAsync(Delta("{\"reasoning_content\":\"thinking " + i + "\"}"), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await step.WaitAsync(context.RequestAborted);
            }

            await context.Response.WriteAsync(Delta("{\"content\":\"done\"}") + Delta("{}", "\"stop\"") + SseEvents.Done, context.RequestAborted);
        });
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries: 3);
        options.FirstChunkTimeout = TimeSpan.FromSeconds(10);
        options.IdleTimeout = TimeSpan.FromSeconds(10);
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        for (int i = 0; i < 3; i++)
        {
            int characters = (i + 1) * "thinking 0".Length;
            await TestWait.UntilAsync(() => stream.Stats.ReasoningCharacterCount >= characters, "the reasoning delta arrived");
            time.Advance(TimeSpan.FromSeconds(9)); // 27 s in all: far past the first-chunk timeout, never 10 s of silence
            step.Release();
        }

        (string text, _) = await run.Soon();

        text.Should().Be("done");
        stream.Stats.Attempts.Should().Be(1, "a model that reasons is not stalled, and a retry would bill its reasoning again");
    }

    [Test]
    public async Task GroqUsage_UnderXGroq_IsRead()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            Delta("{\"content\":\"hi\"}"),
            SseEvents.Data(Head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"x_groq\":{\"id\":\"req_1\",\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":1,\"total_tokens\":8}}}"),
            SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        await CollectAsync(stream);

        stream.Stats.Usage.Should().NotBeNull();
        stream.Stats.Usage!.InputTokenCount.Should().Be(7);
        stream.Stats.Usage.TotalTokenCount.Should().Be(8);
    }

    [Test]
    public async Task InvalidUtf8InADelta_BecomesReplacementCharacter()
    {
        byte[] bad = [.. Encoding.UTF8.GetBytes(Head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"bad "), 0xFF, .. Encoding.UTF8.GetBytes("\"},\"finish_reason\":null}]}")];
        await using var server = await OpenAITestServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("data: "));
            await context.Response.Body.WriteAsync(bad);
            await context.Response.WriteAsync("\n\n" + Delta("{\"content\":\"!\"}", "\"stop\"") + SseEvents.Done);
        });

        (string text, _) = await CollectAsync(Create(Options(server)).GenerateAsync("x"));

        text.Should().Be("bad \uFFFD!");
    }

    [Test]
    public async Task SurrogatePairSplitAcrossEvents_IsJoinedExactly()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            Delta("{\"content\":\"A\\ud83d\"}"),
            Delta("{\"content\":\"\\ude00B\"}"),
            Delta("{}", "\"stop\""),
            SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("A\U0001F600B");
        stream.Stats.TokenCount.Should().Be(Tokenizer.ForModel("gpt-4o-mini").CountTokens("A\U0001F600B"));
    }

    [TestCase("{\"content\":\"x\\ud83dy\"}", "x\uFFFDy")]
    [TestCase("{\"content\":\"\\ude00z\"}", "\uFFFDz")]
    [TestCase("{\"content\":\"end\\ud83d\"}", "end\uFFFD")]
    public async Task LoneSurrogate_BecomesReplacementCharacter(string delta, string expected)
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(Delta(delta), Delta("{}", "\"stop\""), SseEvents.Done));

        (string text, _) = await CollectAsync(Create(Options(server)).GenerateAsync("x"));

        text.Should().Be(expected);
    }

    [Test]
    public async Task NonStreamedChatCompletion_IsDeliveredAsOneChunk_WithUsageAndFinishReason()
    {
        const string body = "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"```python\\nprint(1)\\n```\\nDone.\"},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":8,\"total_tokens\":17}}";
        await using var server = await OpenAITestServer.StartAsync(Respond.Status(200, body, "application/json; charset=utf-8"));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        CodeGenerationResult result = await stream.ToResultAsync();

        result.Text.Should().Be("```python\nprint(1)\n```\nDone.");
        result.CodeBlocks.Should().ContainSingle();
        result.Usage!.TotalTokenCount.Should().Be(17);
        result.FinishReason.Should().Be(FinishReason.Length);
        result.IsTruncated.Should().BeTrue();
        result.Stats.ResponseId.Should().Be("chatcmpl-9");
        result.Stats.Attempts.Should().Be(1);
    }

    [Test]
    public async Task HtmlWithStatus200_IsMalformedNamingTheContentType_AndNotRetried()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Status(200, "<html><head><title>Hotel Wi-Fi</title></head><body>Please sign in</body></html>", "text/html; charset=utf-8"));
        CodeGenerationStream stream = Create(Options(server, maxRetries: 3)).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        var malformed = error.Should().BeOfType<MalformedResponseException>().Subject;
        malformed.Message.Should().Contain("text/html").And.Contain("Please sign in");
        stream.Stats.Attempts.Should().Be(1);
    }

    [Test]
    public async Task JsonWithStatus200ThatIsNotACompletion_IsMalformed()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Status(200, "{\"status\":\"ok\"}"));

        (Exception? error, _) = await CollectFailureAsync(Create(Options(server, maxRetries: 3)).GenerateAsync("x"));

        error.Should().BeOfType<MalformedResponseException>();
    }

    [Test]
    public async Task EventStreamUnderAnotherContentType_IsStillRead()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Status(200, string.Concat(SseEvents.StandardAnswer("a", "b")), "text/plain; charset=utf-8"));

        (string text, _) = await CollectAsync(Create(Options(server)).GenerateAsync("x"));

        text.Should().Be("ab");
    }

    [Test]
    public async Task KnownReasoningModel_GetsALongerDefaultFirstChunkTimeout()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.StallBeforeHeaders());
        StreamingCodeGeneratorOptions options = Options(server, time);
        options.Model = "o3-mini";

        Task<(Exception?, string)> run = CollectFailureAsync(Create(options).GenerateAsync("x"));
        await time.WaitForTimerAsync(TimeSpan.FromMinutes(5)).Soon();
        time.Advance(TimeSpan.FromMinutes(5));
        (Exception? error, _) = await run.Soon();

        error.Should().BeOfType<StreamTimeoutException>().Which.Timeout.Should().Be(TimeSpan.FromMinutes(5));
    }
}
