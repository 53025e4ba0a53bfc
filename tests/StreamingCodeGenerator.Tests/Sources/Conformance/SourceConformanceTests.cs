using StreamingCodeGeneration.Tests.Infrastructure;

namespace StreamingCodeGeneration.Tests.Sources.Conformance;

/// <summary>
/// The contract every source keeps, run for each (a new provider adds one small subclass): exact text, typed failures
/// with the partial text, a cut stream, an error reported mid-stream, continuation, the usage fallback, cancellation.
/// Each scenario runs through a real generator over the source, so the stages above see what the source gives them.
/// </summary>
public abstract class SourceConformanceTests
{
    /// <summary>Starts the provider's backend playing <paramref name="scripts"/>, one per attempt.</summary>
    private protected abstract Task<IConformanceBackend> StartAsync(params ConformanceScript[] scripts);

    [Test]
    public async Task ExactText_EveryCharacterOnce_WithFinishReasonAndUsage()
    {
        string[] pieces = ["def f(x):\n", "    return x  # ünïcödé 😀\n", "\n"];
        await using IConformanceBackend backend = await StartAsync(ConformanceScript.ReasoningThenAnswer("first, think", pieces));
        CodeGenerationStream stream = Generator(backend).GenerateAsync("x");

        (string text, _) = await TestGenerators.CollectAsync(stream).Soon();

        text.Should().Be(string.Concat(pieces));
        stream.Stats.FinishReason.Should().Be(FinishReason.Stop);
        stream.Stats.Usage!.InputTokenCount.Should().Be(ConformanceScript.InputTokens);
        stream.Stats.Usage.OutputTokenCount.Should().Be(pieces.Length);
        stream.Stats.ReasoningCharacterCount.Should().Be("first, think".Length, "reasoning is counted, never part of the answer");
        stream.Stats.Attempts.Should().Be(1);
        backend.Sent.Single().Messages[^1].Should().Be(("user", "x"));
    }

    [TestCase(401, typeof(AuthenticationFailedException), 1)]
    [TestCase(400, typeof(ApiException), 1)]
    [TestCase(429, typeof(RateLimitException), 2)]
    [TestCase(503, typeof(ApiException), 2)]
    public async Task ErrorStatus_IsTyped_AndRetriedOnlyWhenTransient(int status, Type expected, int attempts)
    {
        await using IConformanceBackend backend = await StartAsync(ConformanceScript.Error(status, "status " + status), ConformanceScript.Error(status, "again " + status));
        CodeGenerationStream stream = Generator(backend, maxRetries: 1).GenerateAsync("x");

        (Exception? error, string received) = await TestGenerators.CollectFailureAsync(stream).Soon();

        error.Should().BeOfType(expected);
        ((ApiException)error!).StatusCode.Should().Be(status);
        ((ApiException)error).ServerMessage.Should().Contain(attempts == 1 ? "status " + status : "again " + status);
        ((ApiException)error).PartialText.Should().BeEmpty();
        received.Should().BeEmpty();
        stream.Stats.Attempts.Should().Be(attempts);
    }

    [Test]
    public async Task TransientStatus_ThenAnswer_Succeeds()
    {
        await using IConformanceBackend backend = await StartAsync(ConformanceScript.Error(503, "busy"), ConformanceScript.Answer("second ", "try"));
        CodeGenerationStream stream = Generator(backend).GenerateAsync("x");

        (string text, _) = await TestGenerators.CollectAsync(stream).Soon();

        text.Should().Be("second try");
        stream.Stats.Attempts.Should().Be(2);
    }

    [Test]
    public async Task CutStream_IsAnInterruption_CarryingExactlyTheTextReceived()
    {
        CodeGenerationStream? stream = null;
        await using IConformanceBackend backend = await StartAsync(ConformanceScript.CutAfter(() => stream!.Stats.CharacterCount == 12, "partial ", "text"));
        stream = Generator(backend).GenerateAsync("x");

        (Exception? error, string received) = await TestGenerators.CollectFailureAsync(stream).Soon();

        received.Should().Be("partial text");
        error.Should().BeOfType<StreamInterruptedException>().Which.PartialText.Should().Be("partial text");
        stream.Stats.Attempts.Should().Be(1, "text reached the caller: without MidStreamRecovery.Continue nothing is retried");
    }

    [Test]
    public async Task ErrorReportedMidStream_IsAServerErrorInterruption_CarryingTheTextReceived()
    {
        await using IConformanceBackend backend = await StartAsync(ConformanceScript.ErrorEventAfter("the model is overloaded", "some ", "text"));
        CodeGenerationStream stream = Generator(backend).GenerateAsync("x");

        (Exception? error, string received) = await TestGenerators.CollectFailureAsync(stream).Soon();

        StreamInterruptedException interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.Reason.Should().Be(StreamInterruptionReason.ServerError);
        interrupted.Message.Should().Contain("overloaded");
        interrupted.PartialText.Should().Be(received).And.Be("some text");
    }

    [Test]
    public async Task Continuation_SendsTheAnswerSoFarOnce_AndTheTextIsSeamless()
    {
        CodeGenerationStream? stream = null;
        await using IConformanceBackend backend = await StartAsync(
            ConformanceScript.CutAfter(() => stream!.Stats.CharacterCount == 7, "line 1\n"),
            ConformanceScript.Answer("line 2\n"));
        StreamingCodeGenerator generator = Generator(backend, configure: o => o.MidStreamRecovery = MidStreamRecovery.Continue);
        stream = generator.GenerateAsync("x");

        (string text, _) = await TestGenerators.CollectAsync(stream).Soon();

        text.Should().Be("line 1\nline 2\n");
        stream.Stats.Attempts.Should().Be(2);
        IReadOnlyList<(string Role, string Content)> messages = backend.Sent[1].Messages;
        IReadOnlyList<(string Role, string Content)> tail = backend.ContinuationTail("line 1\n");
        messages.Should().HaveCount(backend.Sent[0].Messages.Count + tail.Count);
        messages.Skip(backend.Sent[0].Messages.Count).Should().Equal(tail);
    }

    [Test]
    public async Task UsageRefused_IsAskedOnceMoreWithoutIt_AndTheStatsSaySo()
    {
        await using IConformanceBackend backend = await StartAsync(ConformanceScript.RefusingUsage(), ConformanceScript.Answer("ok"));
        if (!backend.AsksForUsage)
        {
            Assert.Ignore("This source cannot ask for usage (its client reports usage on its own), so it is never refused.");
        }

        CodeGenerationStream stream = Generator(backend, maxRetries: 0).GenerateAsync("x");

        (string text, _) = await TestGenerators.CollectAsync(stream).Soon();

        text.Should().Be("ok");
        backend.Sent.Select(s => s.AskedForUsage).Should().Equal(true, false);
        stream.Stats.UsageRequested.Should().BeFalse();
        stream.Stats.Attempts.Should().Be(2, "the second request is an attempt, though not a retry (MaxRetries is 0)");
    }

    [Test]
    public async Task Cancellation_MidStream_IsTheCallersCancellation_AndClosesTheAttempt()
    {
        await using IConformanceBackend backend = await StartAsync(ConformanceScript.HangAfter("partial"));
        using var caller = new CancellationTokenSource();
        CodeGenerationStream stream = Generator(backend).GenerateAsync("x", caller.Token);

        Task<(Exception? Error, string Received)> run = TestGenerators.CollectFailureAsync(stream);
        await TestWait.UntilAsync(() => stream.Stats.CharacterCount == 7, "the partial text arrived");
        await caller.CancelAsync();
        (Exception? error, string received) = await run.Soon();

        error.Should().BeAssignableTo<OperationCanceledException>();
        received.Should().Be("partial");
        stream.Stats.Status.Should().Be(StreamStatus.Cancelled);
        await backend.ClosedAsync(0).Soon();
    }

    private static StreamingCodeGenerator Generator(IConformanceBackend backend, int maxRetries = 2, Action<StreamingCodeGeneratorOptions>? configure = null)
    {
        var options = new StreamingCodeGeneratorOptions
        {
            Model = "gpt-4o-mini",
            MaxRetries = maxRetries,
            RetryBaseDelay = TimeSpan.Zero,
            RetryMaxDelay = TimeSpan.Zero,
            IncludeReasoning = false,
        };
        configure?.Invoke(options);
        return StreamingCodeGenerator.Create(GeneratorConnection.Source(backend.Source), options, new GeneratorServices(RetryJitter: false));
    }
}
