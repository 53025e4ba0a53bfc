using System.Text;

namespace StreamingCodeGeneration.Tests;

[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class CodeBlockCollectorTests
{
    // Per fixture: "language|fileName|terminated" for each block, "-" for null.
    private static readonly TestCaseData[] Expectations =
    [
        new("python-sort.md", new[] { "python|sort.py|true" }),
        new("multi-language.md", new[] { "bash|-|true", "javascript|server.js|true", "json|-|true", "csharp|src/App/Program.cs|true", "go|-|true" }),
        new("nested-fences.md", new[] { "markdown|-|true", "md|-|true" }),
        new("fence-in-prose.md", new[] { "ts|-|true" }),
        new("tildes.md", new[] { "python|-|true", "markdown|-|true", "ruby|-|true", "text|-|true" }),
        new("unterminated.md", new[] { "python|-|false" }),
        new("crlf.md", new[] { "bat|-|true", "powershell|-|true" }),
        new("list-indented.md", new[] { "bash|-|true", "bash|-|true", "python|-|true", "python|-|true", "-|-|true" }),
        new("fence-at-start.md", new[] { "python|-|true", "python|-|true" }),
        new("empty-blocks.md", new[] { "-|-|true", "python|-|true", "text|-|true", "-|-|true" }),
        new("four-space-indent.md", new[] { "python|-|true", "sh|-|true" }),
        new("filenames.md", new[] { "python|sort.py|true", "python|utils.py|true", "python|src/app/main.py|true", "-|package.json|true", "js|app.js|true", "python|-|true", "js|-|true" }),
        new("closing-fence-rules.md", new[] { "js|-|true", "python|-|true", "rust|-|true", "c|-|true" }),
        new("no-code.md", Array.Empty<string>()),
        new("unterminated-fence-line.md", new[] { "python|-|false" }),
        new("diff-and-shell.md", new[] { "diff|-|true", "console|-|true", "makefile|-|true", "yaml|-|true" }),
    ];

    private static IEnumerable<string> Fixtures => CorpusFixtures.Names;

    [TestCaseSource(nameof(Expectations))]
    public void Complete_CorpusFixture_FindsTheExpectedBlocks(string fixture, string[] blocks)
    {
        CodeBlockCollector collector = Collect(CorpusFixtures.Load(fixture));

        collector.CodeBlocks.Select(b => $"{b.Language ?? "-"}|{b.FileName ?? "-"}|{(b.IsTerminated ? "true" : "false")}")
            .Should().Equal(blocks);
        collector.CodeBlocks.Select(b => b.Index).Should().Equal(Enumerable.Range(0, blocks.Length));
        collector.HasUnterminatedBlock.Should().Be(blocks.Length > 0 && blocks[^1].EndsWith("false", StringComparison.Ordinal));
    }

    [Test]
    public void Fixtures_AreAllCoveredByExpectations()
    {
        Expectations.Select(e => (string)e.Arguments[0]!).Should().BeEquivalentTo(CorpusFixtures.Names);
        CorpusFixtures.Names.Should().HaveCountGreaterThanOrEqualTo(12);
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Complete_AnySplitAndGranularity_GivesTheSameResult(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);
        CodeBlockCollector expected = Collect(text);
        var random = new Random(fixture.Length * 13);

        foreach (ChunkGranularity granularity in new[] { ChunkGranularity.Delta, ChunkGranularity.Line, ChunkGranularity.Word })
        {
            for (int trial = 0; trial < 30; trial++)
            {
                List<TextSegment> segments = SegmentationHarness.Split(text, SegmentationHarness.RandomCuts(random, text.Length));
                // Delta is what the pipeline passes through unchanged: the segments are the pieces.
                var pieces = new List<TextSegment>();
                if (granularity == ChunkGranularity.Delta)
                {
                    pieces.AddRange(segments);
                }
                else
                {
                    var chunker = new GranularityChunker(granularity);
                    foreach (TextSegment segment in segments)
                    {
                        chunker.Push(segment, pieces);
                    }

                    chunker.Complete(pieces);
                }
                var collector = new CodeBlockCollector();
                foreach (TextSegment piece in pieces)
                {
                    collector.Add(piece);
                }

                collector.Complete();

                collector.Explanation.Should().Be(expected.Explanation);
                collector.CodeBlocks.Should().BeEquivalentTo(expected.CodeBlocks, o => o.WithStrictOrdering());
                collector.HasUnterminatedBlock.Should().Be(expected.HasUnterminatedBlock);
            }
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void Complete_CorpusFixture_ExplanationIsTheProseSegments(string fixture)
    {
        string text = CorpusFixtures.Load(fixture);
        var prose = new StringBuilder();
        foreach (TextSegment segment in SegmentationHarness.Whole(text))
        {
            if (segment.Kind == ChunkKind.Explanation)
            {
                prose.Append(segment.Text);
            }
        }

        Collect(text).Explanation.Should().Be(prose.ToString());
    }

    [Test]
    public void Complete_TerminatedBlock_CodeEndsWithTheNewlineBeforeTheClosingFence()
    {
        CodeBlockCollector collector = Collect("Intro:\n```python title=\"a.py\"\nx = 1\ny = 2\n```\nDone.\n");

        collector.Explanation.Should().Be("Intro:\nDone.\n");
        CodeBlock block = collector.CodeBlocks.Should().ContainSingle().Subject;
        block.Code.Should().Be("x = 1\ny = 2\n");
        block.InfoString.Should().Be("python title=\"a.py\"");
        block.Language.Should().Be("python");
        block.FileName.Should().Be("a.py");
        block.IsTerminated.Should().BeTrue();
        collector.HasUnterminatedBlock.Should().BeFalse();
    }

    [Test]
    public void Complete_UnterminatedBlock_KeepsTheCodeAsReceived()
    {
        CodeBlockCollector collector = Collect("```js\nlet a = 1;\nlet b");

        CodeBlock block = collector.CodeBlocks.Should().ContainSingle().Subject;
        block.Code.Should().Be("let a = 1;\nlet b");
        block.IsTerminated.Should().BeFalse();
        collector.HasUnterminatedBlock.Should().BeTrue();
    }

    [Test]
    public void Complete_EmptyBlock_HasEmptyCodeAndIsTerminated()
    {
        CodeBlockCollector collector = Collect("```\n```");

        CodeBlock block = collector.CodeBlocks.Should().ContainSingle().Subject;
        block.Code.Should().BeEmpty();
        block.InfoString.Should().BeEmpty();
        block.Language.Should().BeNull();
        block.IsTerminated.Should().BeTrue();
    }

    [Test]
    public void Complete_IndentedFence_RemovesUpToTheFenceIndentationFromEachLine()
    {
        CodeBlockCollector collector = Collect("- item\n    ```py\n    if x:\n        y()\n  z\n\n    ```\n");

        collector.CodeBlocks.Should().ContainSingle().Which.Code.Should().Be("if x:\n    y()\nz\n\n");
    }

    [Test]
    public void Complete_CrLf_KeepsLineEndingsInTheCode()
    {
        CodeBlockCollector collector = Collect("```c\r\nint x;\r\n```\r\n");

        collector.CodeBlocks.Should().ContainSingle().Which.Code.Should().Be("int x;\r\n");
    }

    [Test]
    public void Complete_ProseLineBeforeAnEarlierBlock_IsNotUsedForALaterBlock()
    {
        CodeBlockCollector collector = Collect("File: a.py\n```\nx\n```\n```\ny\n```\n");

        collector.CodeBlocks.Select(b => b.FileName).Should().Equal("a.py", null);
    }

    [Test]
    public void Results_BeforeComplete_Throw()
    {
        var collector = new CodeBlockCollector();

        collector.Invoking(c => c.Explanation).Should().Throw<InvalidOperationException>().WithMessage("*Complete()*");
        collector.Invoking(c => c.CodeBlocks).Should().Throw<InvalidOperationException>();
        collector.Invoking(c => c.HasUnterminatedBlock).Should().Throw<InvalidOperationException>();
    }

    [Test]
    public void Add_AfterComplete_Throws()
    {
        var collector = new CodeBlockCollector();
        collector.Complete();

        collector.Invoking(c => c.Add(new TextSegment(ChunkKind.Explanation, null, 0, "x")))
            .Should().Throw<InvalidOperationException>();
    }

    private static CodeBlockCollector Collect(string text)
    {
        var collector = new CodeBlockCollector();
        foreach (TextSegment segment in SegmentationHarness.Whole(text))
        {
            collector.Add(segment);
        }

        collector.Complete();
        return collector;
    }
}
