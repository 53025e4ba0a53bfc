using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.CodeBlocks;

/// <summary>Code-aware chunks and results end to end, through the loopback server.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CodeAwareStreamingTests
{
    private const string Answer =
        "Here is the function:\n\n**`sort.py`**\n```python\ndef bubble_sort(xs):\n    return sorted(xs)\n```\n\nIt sorts the list.\n";

    // Deltas that straddle every boundary: prose into fence, fence into code, code into the closing fence.
    private static readonly string[] Deltas = ["Here is the func", "tion:\n\n**`sort.py`**\n``", "`pyt", "hon\ndef bubble_", "sort(xs):\n    return sorted(xs)\n`", "``\n\nIt sorts", " the list.\n"];

    [Test]
    public async Task Chunks_CarryKindLanguageAndBlockIndex_AndStraddlingDeltasAreSplit()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(Deltas));
        (string text, List<Chunk> chunks) = await CollectAsync(Create(Options(server)).GenerateAsync("x"));

        text.Should().Be(Answer);
        string code = string.Concat(chunks.Where(c => c.Kind == ChunkKind.Code).Select(c => c.Text));
        code.Should().Be("def bubble_sort(xs):\n    return sorted(xs)\n");
        chunks.Where(c => c.Kind == ChunkKind.Fence).Select(c => c.Text).Should().Equal("```python\n", "```\n");
        chunks.Where(c => c.Kind != ChunkKind.Explanation).Should().AllSatisfy(c =>
        {
            c.Language.Should().Be("python");
            c.BlockIndex.Should().Be(0);
        });
        chunks.Where(c => c.Kind == ChunkKind.Explanation && c.Text.Contains("sorts")).Should().AllSatisfy(c => c.BlockIndex.Should().Be(1));
        chunks.Select(c => c.Index).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Test]
    public async Task Chunks_CarryTheBlockFileName_FromTheOpeningFenceOn()
    {
        const string answer = "Two files:\n\n```python title=\"app/main.py\"\nprint(1)\n```\n\n**`util.py`**\n```python\nx = 2\n```\n";
        string[] deltas = [answer[..20], answer[20..41], answer[41..70], answer[70..]];
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(deltas));

        (string text, List<Chunk> chunks) = await CollectAsync(Create(Options(server)).GenerateAsync("x"));

        text.Should().Be(answer);
        chunks.Where(c => c.Kind == ChunkKind.Explanation).Should().AllSatisfy(c => c.FileName.Should().BeNull());
        chunks.Where(c => c.Kind != ChunkKind.Explanation && c.BlockIndex == 0).Should().AllSatisfy(c => c.FileName.Should().Be("app/main.py"));
        chunks.Where(c => c.Kind != ChunkKind.Explanation && c.BlockIndex == 1).Should().AllSatisfy(c => c.FileName.Should().Be("util.py"));
        chunks.First(c => c.Kind == ChunkKind.Fence).Text.Should().StartWith("```python title=");
    }

    [Test]
    public async Task Chunks_CarryTheOpeningFence_AndTheClosingFenceChunkSaysTheBlockIsComplete([Values] ChunkGranularity granularity)
    {
        const string answer = "Two:\n\n  ````md path=README.md\n  # T\n  ```\n  ````\n\n~~~\nopen";
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(answer.Chunk(3).Select(piece => new string(piece)).ToArray()));
        StreamingCodeGeneratorOptions options = Options(server);
        options.Granularity = granularity;

        (string text, List<Chunk> chunks) = await CollectAsync(Create(options).GenerateAsync("x"));

        text.Should().Be(answer);
        CodeFence first = chunks.First(c => c.BlockIndex == 0 && c.Kind == ChunkKind.Fence).Fence!;
        first.Should().BeEquivalentTo(new CodeFence("md path=README.md", 2, '`', 4));
        chunks.Where(c => c.Kind != ChunkKind.Explanation).Should().OnlyContain(c => c.Fence == (c.BlockIndex == 0 ? first : chunks.First(b => b.BlockIndex == 1 && b.Kind == ChunkKind.Fence).Fence));
        chunks.Where(c => c.ClosesBlock).Should().ContainSingle().Which.Should().Match<Chunk>(c => c.BlockIndex == 0 && c.Text.Trim() == "````");
        chunks.Last(c => c.BlockIndex == 1).Fence!.Character.Should().Be('~', "the second block is open at the end: none of its chunks closes it");
    }

    [Test]
    public async Task Result_AfterAwaitForeach_HoldsTheCodeBlocks_AndIsNullBefore()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(Deltas));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");
        stream.Result.Should().BeNull();

        await foreach (Chunk chunk in stream)
        {
            stream.Result.Should().BeNull("the answer is not complete yet");
        }

        stream.Result.Should().NotBeNull();
        stream.Result!.Text.Should().Be(Answer);
        stream.Result.CodeBlocks.Should().ContainSingle().Which.FileName.Should().Be("sort.py");
        stream.Result.Stats.Status.Should().Be(StreamStatus.Completed);
    }

    [Test]
    public async Task Result_OfAFailedStream_IsNull()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Content("partial")));
        CodeGenerationStream stream = Create(Options(server)).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        error.Should().BeOfType<StreamInterruptedException>();
        stream.Result.Should().BeNull();
    }

    [Test]
    public async Task LineGranularity_DeliversWholeLines()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(Deltas));
        StreamingCodeGeneratorOptions options = Options(server);
        options.Granularity = ChunkGranularity.Line;

        (string text, List<Chunk> chunks) = await CollectAsync(Create(options).GenerateAsync("x"));

        text.Should().Be(Answer);
        chunks.Should().AllSatisfy(c => c.Text.Should().EndWith("\n"));
        chunks.Where(c => c.Kind == ChunkKind.Code).Select(c => c.Text).Should().Equal("def bubble_sort(xs):\n", "    return sorted(xs)\n");
    }

    [Test]
    public async Task ToResultAsync_SeparatesExplanationAndCodeBlocksWithFileName()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(Deltas));

        CodeGenerationResult result = await Create(Options(server)).GenerateAsync("x").ToResultAsync();

        result.Text.Should().Be(Answer);
        result.CodeBlocks.Should().ContainSingle();
        CodeBlock block = result.CodeBlocks[0];
        block.Language.Should().Be("python");
        block.FileName.Should().Be("sort.py");
        block.Code.Should().Be("def bubble_sort(xs):\n    return sorted(xs)\n");
        block.IsTerminated.Should().BeTrue();
        result.Explanation.Should().Be("Here is the function:\n\n**`sort.py`**\n\nIt sorts the list.\n");
        result.IsTruncated.Should().BeFalse();
        result.FinishReason.Should().Be(FinishReason.Stop);
        result.Usage!.InputTokenCount.Should().Be(12);
        result.Stats.Status.Should().Be(StreamStatus.Completed);
    }

    [Test]
    public async Task UnterminatedBlockAtLengthLimit_IsTruncatedAndKeepsItsCode()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse(SseEvents.Content("```js\nconsole.log(1);\nconsole.lo"), SseEvents.Finish("length"), SseEvents.Done));

        CodeGenerationResult result = await Create(Options(server)).GenerateAsync("x").ToResultAsync();

        result.IsTruncated.Should().BeTrue();
        result.CodeBlocks.Single().IsTerminated.Should().BeFalse();
        result.CodeBlocks.Single().Code.Should().Be("console.log(1);\nconsole.lo");
    }

    [Test]
    public async Task GenerateCodeWithExplanationAsync_CallsBackForEveryChunkInOrder()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer(Deltas));
        var seen = new List<Chunk>();

        CodeGenerationResult result = await Create(Options(server)).GenerateCodeWithExplanationAsync("Write a bubble sort", seen.Add);

        string.Concat(seen.Select(c => c.Text)).Should().Be(Answer);
        result.Text.Should().Be(Answer);
        result.CodeBlocks.Should().ContainSingle();
    }

    [Test]
    public async Task ThrowingCallback_SurfacesAsStreamProcessingException_AndClosesTheStream()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.Sse([SseEvents.Content("first "), SseEvents.Content("second")], Respond.Stall));
        int calls = 0;

        Func<Task> act = () => Create(Options(server)).GenerateCodeWithExplanationAsync("x", chunk =>
        {
            if (++calls == 2)
            {
                throw new InvalidOperationException("host UI is gone");
            }
        });

        var failure = (await act.Should().ThrowAsync<StreamProcessingException>()).Subject.Single();
        failure.InnerException.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("host UI is gone");
        failure.PartialText.Should().Be("first second");
        failure.Stats.Status.Should().Be(StreamStatus.Failed);
        await server.ClientDisconnected(0).Soon();
    }

    [Test]
    public async Task HeldFenceCandidateIsDeliveredBeforeAFailure()
    {
        // The stream breaks right after "``" at a line start: the segmenter held it as a possible fence, and it is
        // still delivered (as text) before the exception, so PartialText is everything received.
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync(
            Respond.Sse([SseEvents.Content("Look:\n``")], Respond.CutWhen(() => stream!.Stats.ServerEventCount == 1)));
        stream = Create(Options(server)).GenerateAsync("x");

        (Exception? error, string received) = await CollectFailureAsync(stream);

        received.Should().Be("Look:\n``");
        var interrupted = error.Should().BeOfType<StreamInterruptedException>().Subject;
        interrupted.PartialText.Should().Be("Look:\n``");
        interrupted.Stats.CharacterCount.Should().Be(8, "the stats agree with the partial text");
        interrupted.Stats.TokenCount.Should().Be(Tokenizer.ForModel("gpt-4o-mini").CountTokens("Look:\n``"));
        interrupted.Stats.Status.Should().Be(StreamStatus.Failed);
        stream.Stats.Status.Should().Be(StreamStatus.Failed);
    }
}
