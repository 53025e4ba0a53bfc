using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Resilience;

/// <summary>Caller cancellation in every phase: OperationCanceledException, status Cancelled, connection closed.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CancellationTests
{
    [Test]
    public async Task AlreadyCancelledToken_ThrowsOperationCanceled()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x", new CancellationToken(canceled: true));

        (Exception? error, _) = await CollectFailureAsync(stream).Soon();

        error.Should().BeAssignableTo<OperationCanceledException>();
        stream.Stats.Status.Should().Be(StreamStatus.Cancelled);
    }

    [Test]
    public async Task CancelWhileConnecting_ClosesConnectionAndIsNotATimeout()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.StallBeforeHeaders());
        using var cts = new CancellationTokenSource();
        CodeGenerationStream stream = Create(Options(server, new TimerAwareFakeTimeProvider())).GenerateAsync("x", cts.Token);

        Task<(Exception?, string)> run = CollectFailureAsync(stream);
        await TestWait.UntilAsync(() => server.RequestCount == 1, "the request reached the server");
        cts.Cancel();
        (Exception? error, _) = await run.Soon();

        error.Should().BeAssignableTo<OperationCanceledException>();
        stream.Stats.Status.Should().Be(StreamStatus.Cancelled);
        await server.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task CancelMidStream_ThrowsOperationCanceledAndClosesConnection()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse([SseEvents.Content("first")], Respond.Stall));
        using var cts = new CancellationTokenSource();
        CodeGenerationStream stream = Create(Options(server, new TimerAwareFakeTimeProvider())).GenerateAsync("x");

        await using IAsyncEnumerator<Chunk> enumerator = stream.GetAsyncEnumerator(cts.Token);
        (await enumerator.MoveNextAsync().AsTask().Soon()).Should().BeTrue();
        enumerator.Current.Text.Should().Be("first");
        Task<bool> pending = enumerator.MoveNextAsync().AsTask();
        cts.Cancel();
        Func<Task> act = () => pending.Soon();

        await act.Should().ThrowAsync<OperationCanceledException>();
        stream.Stats.Status.Should().Be(StreamStatus.Cancelled);
        stream.Stats.CharacterCount.Should().Be(5);
        await server.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task BreakOutOfAwaitForeach_ClosesConnectionAndMarksCancelled()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse([SseEvents.Content("one"), SseEvents.Content("two")], Respond.Stall));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        await foreach (Chunk chunk in stream)
        {
            chunk.Text.Should().Be("one");
            break;
        }

        stream.Stats.Status.Should().Be(StreamStatus.Cancelled);
        await server.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task CancelDuringRetryBackoff_ThrowsOperationCanceledNotTimeout()
    {
        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(503, "busy"));
        using var cts = new CancellationTokenSource();
        CodeGenerationStream stream = Create(Options(server, time, maxRetries: 3)).GenerateAsync("x");

        Task<(Exception?, string)> run = CollectFailureAsync(stream, cts.Token);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        stream.Stats.Status.Should().Be(StreamStatus.Retrying);
        cts.Cancel();
        (Exception? error, _) = await run.Soon();

        error.Should().BeAssignableTo<OperationCanceledException>();
        stream.Stats.Status.Should().Be(StreamStatus.Cancelled);
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task DisposeBeforeEnumerating_SendsNothing()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        await stream.GetAsyncEnumerator().DisposeAsync();

        server.RequestCount.Should().Be(0);
        stream.Stats.Status.Should().Be(StreamStatus.Cancelled);
        stream.Stats.Elapsed.Should().Be(TimeSpan.Zero, "nothing ran");
    }
}
