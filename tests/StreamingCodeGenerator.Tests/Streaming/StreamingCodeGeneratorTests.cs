using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Streaming;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class StreamingCodeGeneratorTests
{
    [Test]
    public async Task GenerateAsync_StandardAnswer_AssemblesExactTextAndStats()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("Hello", ", ", "world", "!"));
        StreamingCodeGenerator generator = Create(Options(server));

        CodeGenerationStream stream = generator.GenerateAsync("Write hello world");
        stream.Stats.Status.Should().Be(StreamStatus.NotStarted);
        (string text, List<Chunk> chunks) = await CollectAsync(stream);

        text.Should().Be("Hello, world!");
        chunks.Select(c => c.Index).Should().Equal(0, 1, 2, 3);
        StreamStats stats = stream.Stats;
        stats.Status.Should().Be(StreamStatus.Completed);
        stats.ServerEventCount.Should().Be(7, "role + 4 content + finish + usage");
        stats.EmptyServerEventCount.Should().Be(3);
        stats.CharacterCount.Should().Be(13);
        stats.Attempts.Should().Be(1);
        stats.FinishReason.Should().Be(FinishReason.Stop);
        stats.RawFinishReason.Should().Be("stop");
        stats.Usage.Should().NotBeNull();
        stats.Usage!.InputTokenCount.Should().Be(12);
        stats.Usage.OutputTokenCount.Should().Be(4);
        stats.Usage.TotalTokenCount.Should().Be(16);
        stats.UsageRequested.Should().BeTrue();
        stats.ModelId.Should().Be(SseEvents.Model);
        stats.ResponseId.Should().Be(SseEvents.Id);
        stats.TimeToFirstChunk.Should().NotBeNull();
        stats.IsTruncated.Should().BeFalse();
    }

    [Test]
    public async Task GenerateAsync_SendsStreamingRequestWithUsageAndDefaultSystemPrompt()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        StreamingCodeGenerator generator = Create(Options(server));

        await CollectAsync(generator.GenerateAsync(new CodeGenerationRequest("Sort a list")
        {
            Temperature = 0.2f,
            MaxOutputTokens = 300,
            StopSequences = ["END"],
            TargetLanguage = "C#",
        }));

        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/v1/chat/completions");
        request.Headers["Authorization"].Should().Be("Bearer " + ApiKey);
        JsonElement json = request.Json;
        json.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
        json.GetProperty("stream").GetBoolean().Should().BeTrue();
        json.GetProperty("stream_options").GetProperty("include_usage").GetBoolean().Should().BeTrue();
        json.GetProperty("temperature").GetDouble().Should().BeApproximately(0.2, 1e-6);
        json.GetProperty("max_tokens").GetInt32().Should().Be(300);
        json.GetProperty("stop")[0].GetString().Should().Be("END");
        JsonElement messages = json.GetProperty("messages");
        messages.GetArrayLength().Should().Be(2);
        messages[0].GetProperty("role").GetString().Should().Be("system");
        messages[0].GetProperty("content").GetString().Should().StartWith(StreamingCodeGeneratorOptions.DefaultSystemPrompt).And.EndWith("Write the code in C#.");
        messages[1].GetProperty("role").GetString().Should().Be("user");
        messages[1].GetProperty("content").GetString().Should().Be("Sort a list");
    }

    [Test]
    public async Task GenerateAsync_MessageHistoryWithSystemMessage_SendsHistoryAsIsAndModelOverride()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        StreamingCodeGenerator generator = Create(Options(server));

        await CollectAsync(generator.GenerateAsync(new CodeGenerationRequest
        {
            Model = "my-deployment",
            Messages =
            [
                ConversationMessage.System("Be terse."),
                ConversationMessage.User("Write a stack."),
                ConversationMessage.Assistant("class Stack {}"),
                ConversationMessage.User("Add push."),
            ],
        }));

        JsonElement json = server.Requests.Single().Json;
        json.GetProperty("model").GetString().Should().Be("my-deployment");
        json.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString() + ":" + m.GetProperty("content").GetString())
            .Should().Equal("system:Be terse.", "user:Write a stack.", "assistant:class Stack {}", "user:Add push.");
    }

    [Test]
    public async Task GenerateAsync_AzureShapes_PromptFilterFirstChunkAndContentFilterResults()
    {
        const string promptFilter = """data: {"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}""" + "\n\n";
        const string content = """data: {"choices":[{"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}},"delta":{"content":"int x;"},"finish_reason":null,"index":0}],"created":1,"id":"chatcmpl-az","model":"gpt-4o","object":"chat.completion.chunk"}""" + "\n\n";
        const string finish = """data: {"choices":[{"content_filter_results":{},"delta":{},"finish_reason":"stop","index":0}],"created":1,"id":"chatcmpl-az","model":"gpt-4o","object":"chat.completion.chunk"}""" + "\n\n";
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(promptFilter, content, finish, SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("int x;");
        stream.Stats.ServerEventCount.Should().Be(3);
        stream.Stats.EmptyServerEventCount.Should().Be(2);
        stream.Stats.ResponseId.Should().Be("chatcmpl-az", "an empty id is not an id");
        stream.Stats.ModelId.Should().Be("gpt-4o");
        stream.Stats.ContentFiltered.Should().BeFalse();
    }

    [Test]
    public async Task GenerateAsync_ContentFilterFinish_CompletesTruncatedWithoutException()
    {
        const string filtered = """data: {"choices":[{"content_filter_results":{"violence":{"filtered":true,"severity":"high"}},"delta":{},"finish_reason":"content_filter","index":0}],"id":"c","model":"gpt-4o"}""" + "\n\n";
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Role(), SseEvents.Content("Partial"), filtered, SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("Partial");
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
        stream.Stats.FinishReason.Should().Be(FinishReason.ContentFilter);
        stream.Stats.ContentFiltered.Should().BeTrue();
        stream.Stats.IsTruncated.Should().BeTrue();
    }

    [Test]
    public async Task GenerateAsync_LengthFinish_CompletesTruncated()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Content("abc"), SseEvents.Finish("length"), SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("abc");
        stream.Stats.FinishReason.Should().Be(FinishReason.Length);
        stream.Stats.IsTruncated.Should().BeTrue();
    }

    [TestCase("error")]
    [TestCase("insufficient_system_resource")]
    [TestCase("")]
    public async Task GenerateAsync_UnknownFinishReason_MapsToOtherAndKeepsRawValue(string reason)
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Content("abc"), SseEvents.Finish(reason), SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("abc");
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
        stream.Stats.FinishReason.Should().Be(FinishReason.Other);
        stream.Stats.RawFinishReason.Should().Be(reason);
    }

    [Test]
    public async Task GenerateAsync_LocalServerShapes_OllamaVllmLlamaCpp()
    {
        string[] events =
        [
            // No id, finish_reason omitted, choices null, a timings object, reasoning deltas, usage on every chunk.
            "data: {\"object\":\"chat.completion.chunk\",\"model\":\"llama3\",\"choices\":null}\n\n",
            "data: {\"model\":\"llama3\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning\":\"thinking...\"}}]}\n\n",
            "data: {\"model\":\"llama3\",\"choices\":[{\"index\":0,\"delta\":{\"reasoning_content\":\"more\",\"content\":null}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":0,\"total_tokens\":5}}\n\n",
            "data: {\"id\":\"r1\",\"model\":\"llama3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"def f():\"}}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\n",
            "data: {\"id\":\"r1\",\"model\":\"llama3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"}}]}\n\n",
            "data: {\"id\":\"r1\",\"model\":\"llama3\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\\n    pass\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":3,\"total_tokens\":8},\"timings\":{\"predicted_ms\":12.5}}\n\n",
            SseEvents.Done,
        ];
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(events));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("def f():\n    pass");
        stream.Stats.ServerEventCount.Should().Be(6);
        stream.Stats.EmptyServerEventCount.Should().Be(4);
        stream.Stats.Usage!.OutputTokenCount.Should().Be(3, "the last usage wins");
        stream.Stats.ResponseId.Should().Be("r1");
        stream.Stats.ModelId.Should().Be("llama3");
        stream.Stats.FinishReason.Should().Be(FinishReason.Stop);
    }

    [Test]
    public async Task GenerateAsync_Refusal_IsReportedAndNotPartOfText()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"I can't \"}}]}\n\n",
            "data: {\"id\":\"x\",\"choices\":[{\"index\":0,\"delta\":{\"refusal\":\"help with that.\"}}]}\n\n",
            SseEvents.Finish(),
            SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().BeEmpty();
        stream.Stats.Refusal.Should().Be("I can't help with that.");
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
    }

    [TestCase("\n")]
    [TestCase("\r\n")]
    [TestCase("\r")]
    public async Task GenerateAsync_AnyLineEndingOneBytePerRead_WithCommentsAndNoSpaceAfterColon(string newline)
    {
        // Multi-byte UTF-8 (é, 中, 🚀) arrives one byte per network read, so characters are split across reads.
        string body = string.Join(string.Empty, new[]
        {
            ": keep-alive",
            string.Empty,
            "data:" + "{\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"caf\u00e9 \"}}]}",
            string.Empty,
            ": OPENROUTER PROCESSING",
            string.Empty,
            "data: {\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\u4e2d\u6587 \ud83d\ude80\"}}]}",
            string.Empty,
            "data: {\"id\":\"a\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
            string.Empty,
            "data: [DONE]",
            string.Empty,
        }.Select(line => line + newline));
        await using var server = await OpenAITestServer.StartAsync(Respond.Trickle(body));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("caf\u00e9 \u4e2d\u6587 \ud83d\ude80");
        stream.Stats.ServerEventCount.Should().Be(3);
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
    }

    [Test]
    public async Task GenerateAsync_DoneWithoutFinishReason_Completes()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Content("a"), SseEvents.Content("b"), SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("ab");
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
        stream.Stats.FinishReason.Should().BeNull();
    }

    [Test]
    public async Task GenerateAsync_AnswerEndingInHeldFenceCandidate_DeliversItAndCompletes()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("See:\n", "``"));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("See:\n``");
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
        stream.Stats.CharacterCount.Should().Be(7);
    }

    [Test]
    public async Task GenerateAsync_FinishReasonWithoutDone_Completes()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Content("a"), SseEvents.Finish()));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("a");
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
    }

    [Test]
    public async Task GenerateAsync_StreamOptionsRejected_RetriesOnceWithoutItAndSaysUsageUnavailable()
    {
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Error(400, "Unrecognized request argument supplied: stream_options", "invalid_request_error", param: "stream_options"),
            Respond.Sse(SseEvents.Content("ok"), SseEvents.Finish(), SseEvents.Done));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("ok");
        server.Requests.Should().HaveCount(2);
        server.Requests[0].Json.TryGetProperty("stream_options", out _).Should().BeTrue();
        server.Requests[1].Json.TryGetProperty("stream_options", out _).Should().BeFalse();
        stream.Stats.UsageRequested.Should().BeFalse();
        stream.Stats.Usage.Should().BeNull();
        stream.Stats.Attempts.Should().Be(2);
    }

    [Test]
    public async Task GenerateAsync_StreamOptionsRejectedWith422_AlsoRetriedWithoutIt()
    {
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Status(422, "{\"detail\":[{\"loc\":[\"body\",\"stream_options\"],\"msg\":\"extra fields not permitted\"}]}"),
            Respond.Answer("ok"));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (string text, _) = await CollectAsync(stream);

        text.Should().Be("ok");
        stream.Stats.UsageRequested.Should().BeFalse();
    }

    [Test]
    public async Task GenerateAsync_IncludeUsageOff_DoesNotAskForUsage()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        StreamingCodeGeneratorOptions options = Options(server);
        options.IncludeUsage = false;

        await CollectAsync(Create(options).GenerateAsync("x"));

        server.Requests.Single().Json.TryGetProperty("stream_options", out _).Should().BeFalse();
    }

    [Test]
    public async Task GenerateAsync_EnumeratedTwice_FailsFastWithAdvice()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");
        await CollectAsync(stream);

        Func<Task> again = () => CollectAsync(stream);

        await again.Should().ThrowAsync<InvalidOperationException>().WithMessage("*only once*GenerateAsync again*");
    }

    [Test]
    public async Task GenerateAsync_NothingSentUntilEnumerated()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        _ = Create(Options(server)).GenerateAsync("x");

        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task GenerateAsync_FiftyConcurrentStreamsOnOneGenerator_EachGetsItsOwnExactText()
    {
        await using var server = await OpenAITestServer.StartAsync(async (context, index) =>
        {
            using var document = JsonDocument.Parse((string)context.Items[OpenAITestServer.BodyItemKey]!);
            string prompt = document.RootElement.GetProperty("messages")[1].GetProperty("content").GetString()!;
            string[] pieces = Enumerable.Range(0, 20).Select(i => $"{prompt}-{i};").ToArray();
            await Respond.Answer(pieces)(context);
        });
        StreamingCodeGenerator generator = Create(Options(server));

        var tasks = Enumerable.Range(0, 50).Select(async i =>
        {
            (string text, _) = await CollectAsync(generator.GenerateAsync($"p{i}"));
            return (i, text);
        });
        (int i, string text)[] results = await Task.WhenAll(tasks);

        foreach ((int i, string text) in results)
        {
            text.Should().Be(string.Concat(Enumerable.Range(0, 20).Select(k => $"p{i}-{k};")));
        }

        server.RequestCount.Should().Be(50);
    }

    [Test]
    public async Task Stats_ReadFromAnotherThreadWhileStreaming_AreConsistentSnapshots()
    {
        string[] pieces = Enumerable.Range(0, 400).Select(i => $"token{i} ").ToArray();
        string[] events = SseEvents.StandardAnswer(pieces);
        int sawMidStream = 0;

        // The server holds the second half back until the reader thread has seen a snapshot taken mid-stream, so the
        // test never depends on how the two threads happen to be scheduled.
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(
            events[..200],
            async context =>
            {
                await TestWait.UntilAsync(() => Volatile.Read(ref sawMidStream) == 1, "the reader saw a snapshot mid-stream");
                foreach (string piece in events[200..])
                {
                    await context.Response.WriteAsync(piece, context.RequestAborted);
                }
            }));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");
        using var done = new CancellationTokenSource();
        var observed = new List<StreamStats>();

        Task reader = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                StreamStats snapshot = stream.Stats;
                if (observed.Count == 0 || snapshot.ServerEventCount != observed[^1].ServerEventCount || snapshot.CharacterCount != observed[^1].CharacterCount)
                {
                    observed.Add(snapshot);
                }

                if (snapshot.CharacterCount > 0 && snapshot.Status == StreamStatus.Streaming)
                {
                    Volatile.Write(ref sawMidStream, 1);
                }

                Thread.Yield();
            }
        });
        (string text, _) = await CollectAsync(stream);
        await done.CancelAsync();
        await reader;

        text.Should().Be(string.Concat(pieces));
        observed.Should().Contain(s => s.CharacterCount > 0 && s.Status == StreamStatus.Streaming);
        observed.Select(s => s.CharacterCount).Should().BeInAscendingOrder();
        observed.Select(s => s.ServerEventCount).Should().BeInAscendingOrder();
        observed.Should().AllSatisfy(s => s.EmptyServerEventCount.Should().BeLessThanOrEqualTo(s.ServerEventCount));
        observed.Where(s => s.CharacterCount > 0).Should().AllSatisfy(s => s.TimeToFirstChunk.Should().NotBeNull());
    }

    [Test]
    public void Constructor_InvalidOptions_NamesEveryBadOption()
    {
        var options = new StreamingCodeGeneratorOptions
        {
            Endpoint = new Uri("http://localhost:11434/v1"),
            Model = " ",
            MaxRetries = -1,
            IdleTimeout = TimeSpan.Zero,
            FirstChunkTimeout = TimeSpan.FromSeconds(-5),
            TotalTimeout = TimeSpan.Zero,
        };

        Action create = () => _ = new StreamingCodeGenerator(options);

        create.Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("Model"))
            .And.Contain(f => f.Contains("MaxRetries"))
            .And.Contain(f => f.Contains("IdleTimeout"))
            .And.Contain(f => f.Contains("FirstChunkTimeout"))
            .And.Contain(f => f.Contains("TotalTimeout"));
    }

    [Test]
    public void Constructor_OpenAIEndpointWithoutKey_FailsNamingApiKey()
    {
        Action create = () => _ = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Model = "gpt-4o" });

        create.Should().Throw<OptionsValidationException>().WithMessage("*ApiKey*");
    }

    [Test]
    public void Constructor_LocalServerWithoutKey_IsFine()
    {
        Action create = () => _ = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:11434/v1"), Model = "llama3" });

        create.Should().NotThrow();
    }

    [Test]
    public void Validator_RegisteredForOptionsPattern_ReportsFailures()
    {
        var validator = new StreamingCodeGeneratorOptionsValidator();

        ValidateOptionsResult result = validator.Validate(null, new StreamingCodeGeneratorOptions { ApiKey = "k", RetryBaseDelay = TimeSpan.FromSeconds(5), RetryMaxDelay = TimeSpan.FromSeconds(1) });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("RetryMaxDelay");
    }

    [Test]
    public void Validator_ForASuppliedClient_NeedsNoKeyOrEndpoint_ButStillChecksTheRest()
    {
        var noKey = new StreamingCodeGeneratorOptions();

        new StreamingCodeGeneratorOptionsValidator().Validate(null, noKey).FailureMessage.Should().Contain("ApiKey");
        new StreamingCodeGeneratorOptionsValidator(clientSupplied: true).Validate(null, noKey).Succeeded.Should().BeTrue();
        new StreamingCodeGeneratorOptionsValidator(clientSupplied: true).Validate(null, new StreamingCodeGeneratorOptions { MaxRetries = -1 })
            .FailureMessage.Should().Contain("MaxRetries");
    }

    [Test]
    public void GenerateAsync_EmptyPrompt_Throws()
    {
        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), Model = "m" });

        generator.Invoking(g => g.GenerateAsync("  ")).Should().Throw<ArgumentException>();
        generator.Invoking(g => g.GenerateAsync(new CodeGenerationRequest())).Should().Throw<ArgumentException>().WithMessage("*Prompt*Messages*");
    }

    [Test]
    public void Options_ToStringAndGeneratorOptions_NeverShowTheKey()
    {
        var options = new StreamingCodeGeneratorOptions { ApiKey = ApiKey };

        options.ToString().Should().NotContain(ApiKey);
    }
}
