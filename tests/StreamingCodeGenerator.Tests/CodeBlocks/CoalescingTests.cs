using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.CodeBlocks;

/// <summary>Merging small chunks for hosts that repaint less often, on a fake clock.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CoalescingTests
{
    [Test]
    public async Task SmallDeltas_AreMergedUpToMinChunkCharacters_NeverAcrossKinds()
    {
        string[] deltas = ["Intro ", "text ", "here.\n", "```py\n", "a", "=", "1", "\n", "b", "=", "2", "\n", "```\n", "Done."];
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(deltas));
        StreamingCodeGeneratorOptions options = Options(server, new TimerAwareFakeTimeProvider());
        options.MinChunkCharacters = 12;

        (string text, List<Chunk> chunks) = await CollectAsync(Create(options).GenerateAsync("x")).Soon();

        text.Should().Be(string.Concat(deltas));
        chunks.Select(c => c.Index).Should().Equal(Enumerable.Range(0, chunks.Count));
        chunks.Select(c => (c.Kind, c.Text)).Should().Equal(
            (ChunkKind.Explanation, "Intro text here.\n"),
            (ChunkKind.Fence, "```py\n"),
            (ChunkKind.Code, "a=1\nb=2\n"),
            (ChunkKind.Fence, "```\n"),
            (ChunkKind.Explanation, "Done."));
    }

    [Test]
    public async Task HeldTextIsDeliveredOnceItHasWaitedMaxChunkDelay()
    {
        var time = new TimerAwareFakeTimeProvider();
        var more = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse([SseEvents.Content("ab")], async context =>
        {
            await more.Task;
            await context.Response.WriteAsync(SseEvents.Content("cd") + SseEvents.Finish() + SseEvents.Done);
        }));
        StreamingCodeGeneratorOptions options = Options(server, time);
        options.MinChunkCharacters = 100;
        options.MaxChunkDelay = TimeSpan.FromMilliseconds(250);
        CodeGenerationStream stream = Create(options).GenerateAsync("x");
        await using IAsyncEnumerator<Chunk> chunks = stream.GetAsyncEnumerator();

        Task<bool> first = chunks.MoveNextAsync().AsTask();
        await time.WaitForTimerAsync(TimeSpan.FromMilliseconds(250)).Soon();
        first.IsCompleted.Should().BeFalse("the chunk is held while it is small and young");
        time.Advance(TimeSpan.FromMilliseconds(250));

        (await first.Soon()).Should().BeTrue();
        chunks.Current.Text.Should().Be("ab");
        more.SetResult();
        (await chunks.MoveNextAsync().AsTask().Soon()).Should().BeTrue();
        chunks.Current.Text.Should().Be("cd");
        (await chunks.MoveNextAsync().AsTask().Soon()).Should().BeFalse();
        stream.Stats.Status.Should().Be(StreamStatus.Completed);
    }

    [Test]
    public void InvalidCoalescingOptions_AreRejected()
    {
        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), MinChunkCharacters = -1 };

        Action create = () => _ = new StreamingCodeGenerator(options);

        create.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*MinChunkCharacters*");
    }
}
