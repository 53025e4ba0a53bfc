using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Streaming;

/// <summary>
/// What <see cref="StreamStats.TokenCount"/> is: exact with an OpenAI model's own encoding; an estimate for a model whose
/// tokenizer this library does not have (Claude above all), replaced by the server's count when the answer completes in
/// one attempt with usage.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TokenCountKindTests
{
    private const string Answer = "def add(a, b):\n    return a + b\n";

    [Test]
    public async Task KnownOpenAIModel_IsExact_AndTheServersUsageDoesNotReplaceIt()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Role(), SseEvents.Content(Answer), SseEvents.Finish(), SseEvents.Usage(10, 999), SseEvents.Done));

        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");
        await CollectAsync(stream);

        stream.Stats.TokenCountKind.Should().Be(TokenCountKind.Exact);
        stream.Stats.TokenCount.Should().Be(Tokenizer.Get(TokenizerEncoding.O200kBase).CountTokens(Answer));
    }

    [Test]
    public async Task Claude_CompletedWithUsage_IsTheServersCount()
    {
        await using var server = await OpenAITestServer.StartAsync(new AnthropicScript().MessageStart().Text(Answer).Stop(outputTokens: 42));

        CodeGenerationStream stream = Create(ClaudeOptions(server)).GenerateAsync("x");
        await CollectAsync(stream);

        stream.Stats.TokenCountKind.Should().Be(TokenCountKind.ServerReported);
        stream.Stats.TokenCount.Should().Be(42);
        stream.TokenCount.Should().Be(42);
    }

    [Test]
    public async Task Claude_WhileStreaming_IsAnEstimate_EvenWithAConfiguredEncoding()
    {
        var release = new TaskCompletionSource();
        await using var server = await OpenAITestServer.StartAsync(
            new AnthropicScript().MessageStart().Text(Answer).WaitFor(release.Task).Stop(outputTokens: 42));
        StreamingCodeGeneratorOptions options = ClaudeOptions(server);
        options.TokenizerEncoding = TokenizerEncoding.O200kBase;
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        await using IAsyncEnumerator<Chunk> chunks = stream.GetAsyncEnumerator();
        var received = new System.Text.StringBuilder();
        while (received.ToString() != Answer && await chunks.MoveNextAsync().AsTask().Soon())
        {
            received.Append(chunks.Current.Text);
        }

        StreamStats midway = stream.Stats;
        release.SetResult();
        while (await chunks.MoveNextAsync().AsTask().Soon())
        {
        }

        midway.TokenCountKind.Should().Be(TokenCountKind.Estimate, "OpenAI's encodings are not Claude's");
        midway.TokenCount.Should().Be(Tokenizer.Get(TokenizerEncoding.O200kBase).CountTokens(Answer));
        stream.Stats.TokenCountKind.Should().Be(TokenCountKind.ServerReported);
    }

    [Test]
    public async Task Claude_CutStream_StaysAnEstimate()
    {
        var received = new TaskCompletionSource();
        await using var server = await OpenAITestServer.StartAsync(new AnthropicScript().MessageStart().Text(Answer).CutWhen(() => received.Task.IsCompleted));

        (Exception? error, string text) = await CollectUntilCutAsync(Create(ClaudeOptions(server)).GenerateAsync("x"), Answer, received);

        text.Should().Be(Answer);
        StreamStats stats = error.Should().BeOfType<StreamInterruptedException>().Subject.Stats;
        stats.TokenCountKind.Should().Be(TokenCountKind.Estimate);
        stats.TokenCount.Should().Be(Tokenizer.Get(TokenizerEncoding.O200kBase).CountTokens(Answer));
    }

    [Test]
    public async Task Claude_ThinkingWithoutAReasoningTokenCount_StaysAnEstimate()
    {
        await using var server = await OpenAITestServer.StartAsync(new AnthropicScript().MessageStart().Thinking("Let me think.").Text(Answer).Stop(outputTokens: 420));

        CodeGenerationStream stream = Create(ClaudeOptions(server)).GenerateAsync("x");
        await CollectAsync(stream);

        stream.Stats.TokenCountKind.Should().Be(TokenCountKind.Estimate, "Claude's output tokens include its thinking, and it does not say how many");
        stream.Stats.TokenCount.Should().NotBe(420);
    }

    [Test]
    public async Task UnknownModel_WithReasoningTokens_IsTheServersOutputLessReasoning()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new ResponsesScript().Created().ReasoningSummary("Hmm.").Text(Answer).Completed(outputTokens: 100, reasoningTokens: 64));
        StreamingCodeGeneratorOptions options = Options(server);
        options.Provider = ModelProvider.OpenAIResponses;
        options.Model = "acme-coder-7b";

        CodeGenerationStream stream = Create(options).GenerateAsync("x");
        await CollectAsync(stream);

        stream.Stats.TokenCountKind.Should().Be(TokenCountKind.ServerReported);
        stream.Stats.TokenCount.Should().Be(36);
    }

    [Test]
    public async Task Claude_ContinuedAnswer_StaysAnEstimate_NoOneAttemptsUsageCoversIt()
    {
        var received = new TaskCompletionSource();
        await using var server = await OpenAITestServer.StartAsync(
            new AnthropicScript().MessageStart().Text("line 1\n").CutWhen(() => received.Task.IsCompleted),
            new AnthropicScript().MessageStart().Text("line 2\n").Stop(outputTokens: 3));
        StreamingCodeGeneratorOptions options = ClaudeOptions(server, maxRetries: 1);
        options.MidStreamRecovery = MidStreamRecovery.Continue;
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
        CodeGenerationStream stream = Create(options).GenerateAsync("x");

        (Exception? error, string text) = await CollectUntilCutAsync(stream, "line 1\n", received);

        error.Should().BeNull();
        text.Should().Be("line 1\nline 2\n");
        stream.Stats.Attempts.Should().Be(2);
        stream.Stats.TokenCountKind.Should().Be(TokenCountKind.Estimate);
        stream.Stats.TokenCount.Should().Be(Tokenizer.Get(TokenizerEncoding.O200kBase).CountTokens(text));
    }

    /// <summary>Reads the stream to its end, signalling <paramref name="received"/> once <paramref name="prefix"/> has arrived (the server then cuts).</summary>
    private static async Task<(Exception? Error, string Text)> CollectUntilCutAsync(CodeGenerationStream stream, string prefix, TaskCompletionSource received)
    {
        var text = new System.Text.StringBuilder();
        try
        {
            await using IAsyncEnumerator<Chunk> chunks = stream.GetAsyncEnumerator();
            while (await chunks.MoveNextAsync().AsTask().Soon())
            {
                text.Append(chunks.Current.Text);
                if (text.ToString() == prefix)
                {
                    received.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            return (ex, text.ToString());
        }

        return (null, text.ToString());
    }

    private static StreamingCodeGeneratorOptions ClaudeOptions(OpenAITestServer server, int maxRetries = 0)
    {
        StreamingCodeGeneratorOptions options = Options(server, maxRetries: maxRetries);
        options.Provider = ModelProvider.Anthropic;
        options.Model = "claude-sonnet-4-5";
        return options;
    }
}
