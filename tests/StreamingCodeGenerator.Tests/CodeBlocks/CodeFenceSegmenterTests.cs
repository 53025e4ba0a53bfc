namespace StreamingCodeGeneration.Tests;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed partial class CodeFenceSegmenterTests
{
    private static readonly string[] LineEndings = ["\n", "\r\n", "\r"];

    [Test]
    public void Push_ProseWithoutFenceCharacters_IsReleasedImmediately()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();

        segmenter.Push("Hello wor", output);

        output.Should().Equal(new TextSegment(ChunkKind.Explanation, null, 0, "Hello wor"));
    }

    [Test]
    public void Push_TwoBackticksAtLineStart_AreHeldUntilTheLineIsDecided()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();

        segmenter.Push("Intro\n``", output);
        SegmentationHarness.Concat(output).Should().Be("Intro\n");

        segmenter.Push("`py", output);
        SegmentationHarness.Concat(output).Should().Be("Intro\n", "an opening fence's info string is held to the line end");

        segmenter.Push("thon\nx", output);
        output.Should().Equal(
            new TextSegment(ChunkKind.Explanation, null, 0, "Intro\n"),
            new TextSegment(ChunkKind.Fence, "python", 0, "```python\n"),
            new TextSegment(ChunkKind.Code, "python", 0, "x"));
    }

    [Test]
    public void Push_CodeAndFenceSegments_CarryTheFenceParsedOnce()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();

        segmenter.Push("See:\n  ```python title=\"app/a.py\"\n  x = 1\n  ```\nDone.", output);
        segmenter.Complete(output);

        output.Where(s => s.Kind == ChunkKind.Explanation).Should().OnlyContain(s => s.Fence == null);
        CodeFence fence = output.First(s => s.Kind == ChunkKind.Fence).Fence!;
        fence.Should().BeEquivalentTo(new CodeFence("python title=\"app/a.py\"", 2, '`', 3));
        CodeFenceInfo.GetFileName(fence.InfoString).Should().Be("app/a.py");
        output.Where(s => s.Kind != ChunkKind.Explanation).Should().OnlyContain(s => ReferenceEquals(s.Fence, fence));
        output.Where(s => s.ClosesBlock).Should().ContainSingle().Which.Text.Should().Be("  ```\n");
    }

    [TestCase("```py\nx\n```\nDone.", "```\n", TestName = "Push_ClosingFence_IsTheOneSegmentThatClosesTheBlock(line)")]
    [TestCase("~~~~ sh\n~~~\n~~~~~  \nDone.", "~~~~~  \n", TestName = "Push_ClosingFence_IsTheOneSegmentThatClosesTheBlock(longer tilde run)")]
    [TestCase("```py\nx\n```", "```", TestName = "Push_ClosingFence_IsTheOneSegmentThatClosesTheBlock(at the end)")]
    [TestCase("```text\n```\n", "```text\n```\n", TestName = "Push_ClosingFence_IsTheOneSegmentThatClosesTheBlock(empty block)")]
    public void Push_ClosingFence_IsTheOneSegmentThatClosesTheBlock(string answer, string closing)
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();

        segmenter.Push(answer, output);
        segmenter.Complete(output);

        output.Where(s => s.ClosesBlock).Should().ContainSingle().Which.Text.Should().Be(closing);
    }

    [Test]
    public void Push_AnySplit_ClosesEachTerminatedBlockOnceWithTheSameFence([Values(0, 1, 2, 3, 4, 5, 6, 7)] int split)
    {
        const string Answer = "A:\r\n```py title=a.py\r\nx\r\n```\r\nB:\n````md\n```\n````\n  ~~~\n  open";
        var random = new Random(split);

        List<TextSegment> segments = SegmentationHarness.Split(Answer, SegmentationHarness.RandomCuts(random, Answer.Length));

        segments.Where(s => s.ClosesBlock).Select(s => s.BlockIndex).Should().Equal(0, 1);
        segments.Where(s => s.Kind != ChunkKind.Explanation).GroupBy(s => s.BlockIndex).Select(g => g.Select(s => s.Fence).Distinct().Single()!.ToString())
            .Should().Equal("```py title=a.py", "````md", "  ~~~");
    }

    [Test]
    public void Push_TwoBackticksFollowedByText_IsReleasedAsProse()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();

        segmenter.Push("``", output);
        output.Should().BeEmpty();

        segmenter.Push("x", output);
        output.Should().Equal(new TextSegment(ChunkKind.Explanation, null, 0, "``x"));
    }

    [Test]
    public void Push_InsideCode_IndentedBacktickAtLineStart_IsHeld()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();
        segmenter.Push("```js\n", output);
        output.Clear();

        segmenter.Push("  `", output);
        output.Should().BeEmpty();

        segmenter.Push("x`;\n", output);
        output.Should().Equal(new TextSegment(ChunkKind.Code, "js", 0, "  `x`;\n"));
    }

    [Test]
    public void Push_InsideCode_OrdinaryLine_IsReleasedAtOnce()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();
        segmenter.Push("```python\n", output);
        output.Clear();

        segmenter.Push("x = 1", output);

        output.Should().Equal(new TextSegment(ChunkKind.Code, "python", 0, "x = 1"));
        output.Clear();
        segmenter.Push("\ny", output);
        output.Should().Equal(new[] { new TextSegment(ChunkKind.Code, "python", 0, "\ny") }, "the block is still open");
    }

    [Test]
    public void Push_InsideCode_ClosingFenceCandidate_IsHeldUntilLineEnd()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();
        segmenter.Push("```python\nx\n", output);
        output.Clear();

        segmenter.Push("```  ", output);
        output.Should().BeEmpty();

        segmenter.Push("\nDone", output);
        output.Should().Equal(
            new TextSegment(ChunkKind.Fence, "python", 0, "```  \n"),
            new TextSegment(ChunkKind.Explanation, null, 1, "Done"));
    }

    [Test]
    public void Push_WholeDeltaIsOneSegment_ReusesTheString()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();
        string delta = "Some prose\nmore prose ";

        segmenter.Push(delta, output);

        output.Should().ContainSingle().Which.Text.Should().BeSameAs(delta);
    }

    [Test]
    public void Push_DeltaStraddlingBoundaries_IsSplitByKind()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();

        segmenter.Push("Look:\n```sh\necho hi\n```\nDone.", output);
        segmenter.Complete(output);

        output.Should().Equal(
            new TextSegment(ChunkKind.Explanation, null, 0, "Look:\n"),
            new TextSegment(ChunkKind.Fence, "sh", 0, "```sh\n"),
            new TextSegment(ChunkKind.Code, "sh", 0, "echo hi\n"),
            new TextSegment(ChunkKind.Fence, "sh", 0, "```\n"),
            new TextSegment(ChunkKind.Explanation, null, 1, "Done."));
    }

    [Test]
    public void Push_TwoBlocks_ProseCarriesTheIndexOfTheBlockThatFollows()
    {
        List<TextSegment> merged = SegmentationHarness.Merge(
            SegmentationHarness.Whole("a\n```\nx\n```\nb\n~~~\ny\n~~~\nc"));

        merged.Select(s => (s.Kind, s.BlockIndex)).Should().Equal(
            (ChunkKind.Explanation, 0),
            (ChunkKind.Fence, 0), (ChunkKind.Code, 0), (ChunkKind.Fence, 0),
            (ChunkKind.Explanation, 1),
            (ChunkKind.Fence, 1), (ChunkKind.Code, 1), (ChunkKind.Fence, 1),
            (ChunkKind.Explanation, 2));
    }

    [TestCase("```python title=\"sort.py\"\n", "python")]
    [TestCase("```python:src/sort.py\n", "python")]
    [TestCase("```  c++  \n", "c++")]
    [TestCase("```\n", null)]
    [TestCase("```sort.py\n", null)]
    [TestCase("~~~ruby `x`\n", "ruby")]
    [TestCase("````C# extra words\n", "C#")]
    public void Push_OpeningFence_LanguageIsTheFirstWordOfTheInfoString(string fence, string? language)
    {
        List<TextSegment> segments = SegmentationHarness.Whole(fence + "code\n");

        segments[0].Should().Be(new TextSegment(ChunkKind.Fence, language, 0, fence));
        segments[1].Language.Should().Be(language);
    }

    // E = prose line, F = fence line, C = code line. Each case quotes the CommonMark rule it checks.
    [TestCase("```\ncode\n```\n", "FCF", TestName = "Backtick fence opens and closes")]
    [TestCase("~~~\ncode\n~~~\n", "FCF", TestName = "Tilde fence opens and closes")]
    [TestCase("``\nx\n``\n", "EEE", TestName = "Fewer than three backticks is not a fence")]
    [TestCase("```js`\nx\n", "EE", TestName = "Backtick info string may not contain backticks")]
    [TestCase("~~~ a`b\nx\n~~~\n", "FCF", TestName = "Tilde info string may contain backticks")]
    [TestCase("```\nx\n~~~\n```\n", "FCCF", TestName = "Closing fence is of the same type")]
    [TestCase("````\n```\nx\n```\n````\n", "FCCCF", TestName = "Closing fence at least as long as the opening")]
    [TestCase("```\nx\n`````\ny\n", "FCFE", TestName = "Longer closing fence closes")]
    [TestCase("```\nx\n``` y\n```\n", "FCCF", TestName = "Closing fence followed only by spaces or tabs")]
    [TestCase("```\nx\n``` \t \nz\n", "FCFE", TestName = "Closing fence with trailing blanks")]
    [TestCase("   ```\nx\n   ```\n", "FCF", TestName = "Three spaces of indentation")]
    [TestCase("    ```\nx\n    ```\n", "EEE", TestName = "Four spaces of indentation is too many")]
    [TestCase("\t```\nx\n", "EE", TestName = "A tab is four columns of indentation")]
    [TestCase("```\nx\n    ```\ny\n", "FCCC", TestName = "Closing fence indented four spaces is code")]
    [TestCase("say ```\nx\n", "EE", TestName = "Fence in the middle of a line is prose")]
    [TestCase("```\nx\n", "FC", TestName = "Unterminated block runs to the end")]
    [TestCase("```", "F", TestName = "Fence at end of stream without newline opens an empty block")]
    [TestCase("```\n\n\n```", "FCCF", TestName = "Blank lines are code")]
    [TestCase("para\n```\nx\n```\n", "EFCF", TestName = "Fence interrupts a paragraph")]
    [TestCase("- item\n    ```\n    x\n    ```\n", "EFCF", TestName = "List item: fence indented four spaces")]
    [TestCase("1. item\n      ```\n      x\n      ```\n", "EFCF", TestName = "Ordered list item: fence indented six spaces")]
    [TestCase("1. item\n       ```\n", "EE", TestName = "List item: more than content plus three is too many")]
    [TestCase("- item\n\ntext\n\n    ```\n", "EEEEE", TestName = "List context ends at unindented paragraph after blank line")]
    [TestCase("- item\n```\nx\n    ```\ny\n", "EFCCC", TestName = "Top-level fence ends the list context")]
    [TestCase("> ```\n> x\n", "EE", TestName = "Block quotes are prose")]
    public void Push_CommonMarkRule_ClassifiesEachLine(string input, string expected)
    {
        foreach (string lineEnding in LineEndings)
        {
            string text = SegmentationHarness.WithLineEnding(input, lineEnding);

            SegmentationHarness.LineKinds(text).Should().Be(expected, "line ending {0}", SegmentationHarness.Escape(lineEnding));
            SegmentationHarness.Merge(SegmentationHarness.OneCharAtATime(text))
                .Should().Equal(SegmentationHarness.Merge(SegmentationHarness.Whole(text)), "one character at a time");
            SegmentationHarness.Merge(SegmentationHarness.Whole(text)).Should().Equal(ReferenceFenceParser.Parse(text));
        }
    }

    [Test]
    public void Push_CrLfSplitBetweenCrAndLf_LfKeepsTheFenceKind()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();

        segmenter.Push("```c\r", output);
        segmenter.Push("\nint x;\r\n```\r", output);
        segmenter.Push("\nok", output);
        segmenter.Complete(output);

        SegmentationHarness.Merge(output).Should().Equal(
            new TextSegment(ChunkKind.Fence, "c", 0, "```c\r\n"),
            new TextSegment(ChunkKind.Code, "c", 0, "int x;\r\n"),
            new TextSegment(ChunkKind.Fence, "c", 0, "```\r\n"),
            new TextSegment(ChunkKind.Explanation, null, 1, "ok"));
    }

    [Test]
    public void Complete_InsideBlock_KeepsCodeAndReportsUnterminated()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();

        segmenter.Push("```py\nprint(1", output);
        segmenter.Complete(output);

        var collector = new CodeBlockCollector();
        output.ForEach(segment => collector.Add(segment));
        collector.Complete();
        collector.HasUnterminatedBlock.Should().BeTrue();
        segmenter.BlockCount.Should().Be(1);
        SegmentationHarness.Concat(output).Should().Be("```py\nprint(1");
    }

    [Test]
    public void Complete_HeldFenceCandidate_IsReleased()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();

        segmenter.Push("text\n  ", output);
        segmenter.Complete(output);

        SegmentationHarness.Merge(output).Should().Equal(new TextSegment(ChunkKind.Explanation, null, 0, "text\n  "));
    }

    [Test]
    public void Push_AfterComplete_Throws()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();
        segmenter.Complete(output);

        segmenter.Invoking(s => s.Push("x", output)).Should().Throw<InvalidOperationException>().WithMessage("*new CodeFenceSegmenter*");
        segmenter.Invoking(s => s.Complete(output)).Should().Throw<InvalidOperationException>();
    }

    [Test]
    public void Push_NullArguments_Throw()
    {
        var segmenter = new CodeFenceSegmenter();

        segmenter.Invoking(s => s.Push((string)null!, [])).Should().Throw<ArgumentNullException>().WithParameterName("delta");
        segmenter.Invoking(s => s.Push("x", null!)).Should().Throw<ArgumentNullException>().WithParameterName("output");
    }

    [Test]
    public void Push_OverlongUndecidedLine_IsReleasedAsProseOnceTheBoundIsPassed()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>();
        string line = "```" + new string('a', CodeFenceSegmenter.MaxHeldLength);

        segmenter.Push(line, output);

        SegmentationHarness.Concat(output).Should().Be(line);
        output.Should().OnlyContain(s => s.Kind == ChunkKind.Explanation);
        SegmentationHarness.Merge(SegmentationHarness.OneCharAtATime(line + "\nx"))
            .Should().Equal(SegmentationHarness.Merge(SegmentationHarness.Whole(line + "\nx")));
    }

    [Test]
    public void Push_LinesThatMapToOneSegment_AllocateOnlyTheOutputList()
    {
        var segmenter = new CodeFenceSegmenter();
        var output = new List<TextSegment>(4096);
        segmenter.Push("```python\n", output);
        string[] deltas = ["x = 1\n", "for i in range(10):\n", "    print(i)\n", "# comment ``` here\n"];
        for (int i = 0; i < 100; i++)
        {
            segmenter.Push(deltas[i % deltas.Length], output);
        }

        output.Clear();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 2000; i++)
        {
            segmenter.Push(deltas[i % deltas.Length], output);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(1024, "whole-delta segments reuse the delta string");
        output.Should().HaveCount(2000);
    }
}
