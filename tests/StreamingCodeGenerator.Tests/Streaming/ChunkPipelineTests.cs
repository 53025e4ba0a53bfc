using System.Text;

namespace StreamingCodeGeneration.Tests.Streaming;

/// <summary>
/// The chunk pipeline alone: it owns <see cref="Chunk.Index"/> (no gaps in any mode), merges small chunks of one run
/// until they are ready, keeps reasoning apart, releases what the segmenter holds at the end, and names files.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ChunkPipelineTests
{
    private const string Answer =
        "Sort it like this:\n\n`src/sort.py`:\n```python\ndef sort(xs):\n    return sorted(xs)\n```\n\n" +
        "And test it:\n\n```python title=\"test_sort.py\"\nassert sort([2, 1]) == [1, 2]\n```\nDone, bye ``now``\n";

    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(100);

    [Test]
    public void TryTake_EveryModeAndDeltaSize_IndexesAreZeroToNMinusOneAndTextIsExact(
        [Values] ChunkGranularity granularity,
        [Values(0, 1, 7, 1000)] int minChunkCharacters,
        [Values(1, 3, 11)] int deltaLength)
    {
        (ChunkPipeline pipeline, List<Chunk> chunks, string reasoning) = Stream(granularity, minChunkCharacters, deltaLength);

        pipeline.HasPending.Should().BeFalse("everything is ready once the answer is complete");
        chunks.Select(c => c.Index).Should().Equal(Enumerable.Range(0, chunks.Count));
        chunks.Should().OnlyContain(c => c.Text.Length > 0);
        string.Concat(chunks.Where(c => c.Kind != ChunkKind.Reasoning).Select(c => c.Text)).Should().Be(Answer);
        string.Concat(chunks.Where(c => c.Kind == ChunkKind.Reasoning).Select(c => c.Text)).Should().Be(reasoning);
        pipeline.Collector.CodeBlocks.Should().HaveCount(2);
    }

    [Test]
    public void TryTake_EveryModeAndDeltaSize_EachBlockClosesOnce_AndItsChunksCarryItsFence(
        [Values] ChunkGranularity granularity,
        [Values(0, 1, 7, 1000)] int minChunkCharacters,
        [Values(1, 3, 11)] int deltaLength)
    {
        (_, List<Chunk> chunks, _) = Stream(granularity, minChunkCharacters, deltaLength);

        chunks.Where(c => c.ClosesBlock).Select(c => c.BlockIndex).Should().Equal(0, 1);
        chunks.Where(c => c.ClosesBlock).Should().OnlyContain(c => c.Kind == ChunkKind.Fence);
        chunks.Where(c => c.Kind is ChunkKind.Explanation or ChunkKind.Reasoning).Should().OnlyContain(c => c.Fence == null && !c.ClosesBlock);
        chunks.Where(c => c.Kind is ChunkKind.Code or ChunkKind.Fence).GroupBy(c => c.BlockIndex)
            .Select(block => block.Select(c => c.Fence).Distinct().Single()!.InfoString)
            .Should().Equal("python", "python title=\"test_sort.py\"");
        chunks.Last(c => c.BlockIndex == 0 && c.Kind == ChunkKind.Code).Index.Should().BeLessThan(chunks.Single(c => c.ClosesBlock && c.BlockIndex == 0).Index);
    }

    /// <summary>Streams <see cref="Answer"/> in deltas, with reasoning now and then, draining as a generation does.</summary>
    private static (ChunkPipeline Pipeline, List<Chunk> Chunks, string Reasoning) Stream(ChunkGranularity granularity, int minChunkCharacters, int deltaLength)
    {
        var pipeline = new ChunkPipeline(granularity, minChunkCharacters, MaxDelay);
        var chunks = new List<Chunk>();
        var reasoning = new StringBuilder();
        int step = 0;
        for (int start = 0; start < Answer.Length; start += deltaLength, step++)
        {
            TimeSpan now = TimeSpan.FromMilliseconds(step * 7);
            if (step % 4 == 1)
            {
                string thought = "thought " + step + ". ";
                reasoning.Append(thought);
                pipeline.PushReasoning(thought, now);
            }

            pipeline.PushText(Answer.Substring(start, Math.Min(deltaLength, Answer.Length - start)), now);
            chunks.AddRange(Drain(pipeline, now, force: step % 5 == 0));
        }

        TimeSpan end = TimeSpan.FromMilliseconds(step * 7);
        pipeline.Complete(end);
        chunks.AddRange(Drain(pipeline, end, force: false));
        return (pipeline, chunks, reasoning.ToString());
    }

    [Test]
    public void TryTake_RunShorterThanTheMinimum_WaitsUntilItIsLongEnough()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 10, MaxDelay);

        pipeline.PushText("abc", TimeSpan.Zero);
        pipeline.TryTake(TimeSpan.Zero, force: false, out _).Should().BeFalse();
        pipeline.HasPending.Should().BeTrue();
        pipeline.PushText("defghij", Ms(5));
        pipeline.TryTake(Ms(5), force: false, out Chunk? chunk).Should().BeTrue();

        chunk!.Text.Should().Be("abcdefghij");
        chunk.Index.Should().Be(0);
        chunk.Elapsed.Should().Be(Ms(5), "a merged chunk arrived with its last piece");
        chunk.Kind.Should().Be(ChunkKind.Explanation);
        pipeline.HasPending.Should().BeFalse();
    }

    [Test]
    public void TryTake_RunChanges_TakesTheFinishedRunHowEverShort()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 10, MaxDelay);

        pipeline.PushText("Hi\n```py\n", TimeSpan.Zero);
        Drain(pipeline, TimeSpan.Zero, force: false).Select(c => (c.Kind, c.Text)).Should().Equal([(ChunkKind.Explanation, "Hi\n")], "the fence follows it");
        pipeline.HasPending.Should().BeTrue("the fence line waits: nothing follows it yet");
        pipeline.PushText("x", Ms(1));
        Drain(pipeline, Ms(1), force: false).Select(c => (c.Kind, c.Text, c.Index)).Should().Equal((ChunkKind.Fence, "```py\n", 1));
        pipeline.HasPending.Should().BeTrue();
    }

    [Test]
    public void TryTake_AnswerComplete_TakesWhatIsLeftHowEverShort()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 10, MaxDelay);
        pipeline.PushText("ab", TimeSpan.Zero);

        pipeline.Complete(Ms(1));

        pipeline.TryTake(Ms(1), force: false, out Chunk? chunk).Should().BeTrue();
        chunk!.Text.Should().Be("ab");
        pipeline.TryTake(Ms(1), force: false, out _).Should().BeFalse();
    }

    [Test]
    public void TryTake_OldestPieceWaitedMaxChunkDelay_TakesTheRun()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 10, MaxDelay);
        pipeline.PushText("ab", Ms(10));
        pipeline.PushText("cd", Ms(50));

        pipeline.Deadline.Should().Be(Ms(110), "the oldest piece arrived at 10 ms");
        pipeline.TryTake(Ms(109), force: false, out _).Should().BeFalse();
        pipeline.TryTake(Ms(110), force: false, out Chunk? chunk).Should().BeTrue();

        chunk!.Text.Should().Be("abcd");
        chunk.Elapsed.Should().Be(Ms(50));
    }

    [Test]
    public void TryTake_Forced_TakesTheRunAtOnce()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 10, MaxDelay);
        pipeline.PushText("ab", TimeSpan.Zero);

        pipeline.TryTake(TimeSpan.Zero, force: true, out Chunk? chunk).Should().BeTrue();

        chunk!.Text.Should().Be("ab");
        chunk.Index.Should().Be(0);
    }

    [Test]
    public void TryTake_NothingPending_IsFalseEvenWhenForced()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 10, MaxDelay);

        pipeline.TryTake(TimeSpan.Zero, force: true, out Chunk? chunk).Should().BeFalse();
        chunk.Should().BeNull();
        pipeline.HasPending.Should().BeFalse();
    }

    [Test]
    public void TryTake_MergingOff_EverySegmentIsItsOwnChunkAtOnce()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 0, MaxDelay);

        pipeline.Merges.Should().BeFalse();
        pipeline.PushText("a", TimeSpan.Zero);
        pipeline.PushText("b", TimeSpan.Zero);

        Drain(pipeline, TimeSpan.Zero, force: false).Select(c => (c.Text, c.Index)).Should().Equal(("a", 0), ("b", 1));
        new ChunkPipeline(ChunkGranularity.Delta, 1, MaxDelay).Merges.Should().BeTrue();
    }

    [Test]
    public void TryTake_MergingCode_NeverSpansKindsOrBlocks()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 1000, MaxDelay);
        foreach (char c in "Intro\n```js\nlet a;\n```\n```py\nb = 1\n```\nEnd")
        {
            pipeline.PushText(c.ToString(), TimeSpan.Zero);
        }

        pipeline.Complete(TimeSpan.Zero);

        Drain(pipeline, TimeSpan.Zero, force: false).Select(c => (c.Kind, c.Text, c.Language, c.BlockIndex)).Should().Equal(
            (ChunkKind.Explanation, "Intro\n", null, 0),
            (ChunkKind.Fence, "```js\n", "js", 0),
            (ChunkKind.Code, "let a;\n", "js", 0),
            (ChunkKind.Fence, "```\n", "js", 0),
            (ChunkKind.Fence, "```py\n", "py", 1),
            (ChunkKind.Code, "b = 1\n", "py", 1),
            (ChunkKind.Fence, "```\n", "py", 1),
            (ChunkKind.Explanation, "End", null, 2));
    }

    [Test]
    public void PushReasoning_IsItsOwnKind_NeverMergedWithAnswerText()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 100, MaxDelay);

        pipeline.PushReasoning("think ", TimeSpan.Zero);
        pipeline.PushReasoning("more", Ms(1));
        pipeline.PushText("answer", Ms(2));
        pipeline.PushReasoning("late", Ms(3));
        pipeline.PushText(" text", Ms(4));
        pipeline.Complete(Ms(5));

        Drain(pipeline, Ms(5), force: false).Select(c => (c.Kind, c.Text, c.Index)).Should().Equal(
            (ChunkKind.Reasoning, "think more", 0),
            (ChunkKind.Explanation, "answer", 1),
            (ChunkKind.Reasoning, "late", 2),
            (ChunkKind.Explanation, " text", 3));
        pipeline.Collector.Explanation.Should().Be("answer text", "reasoning is never part of the answer");
    }

    [Test]
    public void PushReasoning_InsideACodeBlock_HasTheNextBlockIndexAndNoLanguageOrFileName()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Line, 0, MaxDelay);

        pipeline.PushText("```python title=\"a.py\"\nx = 1\n", TimeSpan.Zero);
        pipeline.PushReasoning("hmm", TimeSpan.Zero);

        Chunk reasoning = Drain(pipeline, TimeSpan.Zero, force: false).Single(c => c.Kind == ChunkKind.Reasoning);
        reasoning.BlockIndex.Should().Be(1);
        reasoning.Language.Should().BeNull();
        reasoning.FileName.Should().BeNull();
    }

    [Test]
    public void Complete_ReleasesAHeldFenceCandidate()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 0, MaxDelay);

        pipeline.PushText("Some text\n``", TimeSpan.Zero);
        Drain(pipeline, TimeSpan.Zero, force: true).Select(c => c.Text).Should().Equal("Some text\n");
        pipeline.HasPending.Should().BeFalse("the segmenter holds the possible fence, not the pipeline");
        pipeline.Complete(Ms(1));

        Chunk rest = Drain(pipeline, Ms(1), force: false).Single();
        rest.Text.Should().Be("``");
        rest.Kind.Should().Be(ChunkKind.Explanation);
        rest.Index.Should().Be(1);
        rest.Elapsed.Should().Be(Ms(1));
    }

    [TestCase(ChunkGranularity.Line, "line one\nline tw", "line one\n", "line tw")]
    [TestCase(ChunkGranularity.Word, "hello wor", "hello ", "wor")]
    public void Complete_ReleasesTheUnfinishedLineOrWord(ChunkGranularity granularity, string text, string before, string after)
    {
        var pipeline = new ChunkPipeline(granularity, 0, MaxDelay);

        pipeline.PushText(text, TimeSpan.Zero);
        Drain(pipeline, TimeSpan.Zero, force: true).Select(c => c.Text).Should().Equal(before);
        pipeline.Complete(TimeSpan.Zero);

        Drain(pipeline, TimeSpan.Zero, force: false).Select(c => c.Text).Should().Equal(after);
    }

    [Test]
    public void Complete_Twice_ReleasesNothingMore()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Word, 0, MaxDelay);
        pipeline.PushText("a b", TimeSpan.Zero);
        pipeline.Complete(TimeSpan.Zero);
        int count = Drain(pipeline, TimeSpan.Zero, force: false).Count;

        pipeline.Complete(TimeSpan.Zero);

        count.Should().Be(2);
        pipeline.HasPending.Should().BeFalse();
        pipeline.Collector.Explanation.Should().Be("a b");
    }

    [Test]
    public void TryTake_CodeAndFenceChunks_CarryTheBlocksFileName()
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 0, MaxDelay);

        pipeline.PushText("Here:\n```python title=\"sort.py\"\nprint(1)\n```\nDone.\n", TimeSpan.Zero);
        pipeline.Complete(TimeSpan.Zero);

        Drain(pipeline, TimeSpan.Zero, force: false).Select(c => (c.Kind, c.Text, c.FileName)).Should().Equal(
            (ChunkKind.Explanation, "Here:\n", null),
            (ChunkKind.Fence, "```python title=\"sort.py\"\n", "sort.py"),
            (ChunkKind.Code, "print(1)\n", "sort.py"),
            (ChunkKind.Fence, "```\n", "sort.py"),
            (ChunkKind.Explanation, "Done.\n", null));
    }

    [TestCase("```python:src/app.py\nx = 1\n```\n", "src/app.py", TestName = "TryTake_LanguageColonPath_NamesTheFile")]
    [TestCase("**`src/util.py`**\n```python\nx = 1\n```\n", "src/util.py", TestName = "TryTake_FileNameLineBeforeTheFence_NamesTheFile")]
    [TestCase("Some prose here.\n```python\nx = 1\n```\n", null, TestName = "TryTake_NoFileNamed_HasNoFileName")]
    public void TryTake_FileNames(string answer, string? expected)
    {
        var pipeline = new ChunkPipeline(ChunkGranularity.Line, 5, MaxDelay);
        foreach (char c in answer)
        {
            pipeline.PushText(c.ToString(), TimeSpan.Zero);
        }

        pipeline.Complete(TimeSpan.Zero);

        List<Chunk> chunks = Drain(pipeline, TimeSpan.Zero, force: false);
        chunks.Where(c => c.Kind is ChunkKind.Code or ChunkKind.Fence).Should().NotBeEmpty().And.OnlyContain(c => c.FileName == expected);
        chunks.Where(c => c.Kind == ChunkKind.Explanation && c.FileName != null).Should().BeEmpty();
    }

    private static List<Chunk> Drain(ChunkPipeline pipeline, TimeSpan now, bool force)
    {
        var chunks = new List<Chunk>();
        while (pipeline.TryTake(now, force, out Chunk? chunk))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);
}
