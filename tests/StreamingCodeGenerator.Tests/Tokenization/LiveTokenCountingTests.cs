using Microsoft.Extensions.Logging;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Tokenization;

/// <summary>Token counts wired into the stream and the request: live, exact, and checked before sending.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class LiveTokenCountingTests
{
    private const string Answer =
        "Here is `sum` in Rust 🦀 and a note in 中文:\r\n\r\n```rust\nfn sum(xs: &[i64]) -> i64 {\n    xs.iter().sum()  // 12345678\n}\n```\n\n" +
        "It's O(n); 𝐀 and 𠮷 are astral letters.    \n\n\n";

    [TestCase(1)]
    [TestCase(7)]
    [TestCase(42)]
    public async Task TokenCount_EqualsCountOfAllTextSoFar_AfterEveryChunk(int seed)
    {
        var random = new Random(seed);
        var pieces = new List<string>();
        for (int i = 0; i < Answer.Length;)
        {
            int size = Math.Min(random.Next(1, 6), Answer.Length - i);
            if (char.IsHighSurrogate(Answer[i + size - 1]) && i + size < Answer.Length)
            {
                size++;
            }

            pieces.Add(Answer.Substring(i, size));
            i += size;
        }

        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(pieces.ToArray()));
        Tokenizer tokenizer = Tokenizer.ForModel("gpt-4o-mini");
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        var received = new System.Text.StringBuilder();
        await foreach (Chunk chunk in stream)
        {
            received.Append(chunk.Text);
            int expected = tokenizer.CountTokens(received.ToString());
            stream.Stats.TokenCount.Should().Be(expected, "after {0} characters", received.Length);
            stream.TokenCount.Should().Be(expected, "the live figure is the snapshot's, after {0} characters", received.Length);
        }

        received.ToString().Should().Be(Answer);
        stream.Stats.TokenCount.Should().Be(tokenizer.CountTokens(Answer));
    }

    [Test]
    public async Task TokensPerSecond_IsTokensOverTimeSinceFirstChunk()
    {
        var time = new TimerAwareFakeTimeProvider();
        var next = new SemaphoreSlim(0);
        await using var server = await OpenAITestServer.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, SseEvents.Content("hello world"));
            await context.Response.Body.FlushAsync();
            await next.WaitAsync(context.RequestAborted);
            await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, SseEvents.Content(" again") + SseEvents.Finish() + SseEvents.Done);
        });
        CodeGenerationStream stream = Create(Options(server, time)).GenerateAsync("x");

        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await TestWait.UntilAsync(() => stream.Stats.CharacterCount == 11, "the first chunk arrived");
        time.Advance(TimeSpan.FromSeconds(2));
        next.Release();
        await run.Soon();

        stream.Stats.TokenCount.Should().Be(3);
        stream.Stats.TimeToFirstChunk.Should().Be(TimeSpan.Zero);
        stream.Stats.Elapsed.Should().Be(TimeSpan.FromSeconds(2));
        stream.Stats.TokensPerSecond.Should().Be(1.5);
    }

    [Test]
    public async Task PromptLongerThanMaxPromptTokens_FailsBeforeAnythingIsSent()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("unreachable"));
        StreamingCodeGeneratorOptions options = Options(server, maxRetries: 3);
        options.MaxPromptTokens = 50;
        CodeGenerationStream stream = Create(options).GenerateAsync(string.Join(' ', Enumerable.Repeat("word", 200)));

        (Exception? error, _) = await CollectFailureAsync(stream);

        var exceeded = error.Should().BeOfType<ContextLengthExceededException>().Subject;
        exceeded.MaxPromptTokens.Should().Be(50);
        exceeded.PromptTokens.Should().BeGreaterThan(200);
        exceeded.Message.Should().Contain("MaxPromptTokens").And.Contain("nothing was sent");
        server.RequestCount.Should().Be(0);
        stream.Stats.Attempts.Should().Be(0);
        stream.Stats.Status.Should().Be(StreamStatus.Failed);
    }

    [Test]
    public async Task PromptLongerThanKnownContextWindow_FailsBeforeSending_UnknownModelIsNotChecked()
    {
        string prompt = string.Join(' ', Enumerable.Repeat("token", 9000));
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("sent"));
        StreamingCodeGenerator generator = Create(Options(server));

        (Exception? error, _) = await CollectFailureAsync(generator.GenerateAsync(new CodeGenerationRequest(prompt) { Model = "gpt-4-0613" }));
        (string text, _) = await CollectAsync(generator.GenerateAsync(new CodeGenerationRequest(prompt) { Model = "my-azure-deployment" }));

        error.Should().BeOfType<ContextLengthExceededException>().Which.MaxPromptTokens.Should().Be(8192);
        text.Should().Be("sent");
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public void CountPromptTokens_CountsMessagesTheWayOpenAIBillsThem()
    {
        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), Model = "gpt-4o" });
        Tokenizer tokenizer = Tokenizer.ForModel("gpt-4o");
        var request = new CodeGenerationRequest("Write a bubble sort in C#") { SystemPrompt = "You are terse." };

        int count = generator.CountPromptTokens(request);

        // 3 to prime the reply, and per message 3 of framing plus the role and the content.
        int expected = 3 + (3 + 1 + tokenizer.CountTokens("You are terse.")) + (3 + 1 + tokenizer.CountTokens("Write a bubble sort in C#"));
        count.Should().Be(expected).And.Be(22);
    }

    [Test]
    public async Task TokenizerEncodingOption_OverridesTheModelName_AndUnknownNamesAreLoggedOnce()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("def f(): return 1 + 1"));
        var logger = new ListLogger();
        StreamingCodeGeneratorOptions options = Options(server);
        options.Model = "team-deployment";

        CodeGenerationStream first = Create(options, logger).GenerateAsync("x");
        await CollectAsync(first);
        options.TokenizerEncoding = TokenizerEncoding.Cl100kBase;
        StreamingCodeGenerator explicitEncoding = Create(options, logger);
        CodeGenerationStream second = explicitEncoding.GenerateAsync("x");
        await CollectAsync(second);

        first.Stats.TokenCountKind.Should().Be(TokenCountKind.ServerReported, "o200k_base was only an estimate for an unknown name, and the server reported usage");
        first.Stats.TokenCount.Should().Be(first.Stats.Usage!.OutputTokenCount);
        second.Stats.TokenCountKind.Should().Be(TokenCountKind.Exact);
        second.Stats.TokenCount.Should().Be(Tokenizer.Get(TokenizerEncoding.Cl100kBase).CountTokens("def f(): return 1 + 1"));
        logger.Entries.Count(e => e.Message.Contains("'team-deployment' is not a known OpenAI model name")).Should().Be(1);
    }
}
