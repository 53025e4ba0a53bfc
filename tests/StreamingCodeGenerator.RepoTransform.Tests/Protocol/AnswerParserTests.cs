using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Protocol;

/// <summary>
/// The parser fed with the library's real chunks: each answer is streamed by the loopback server in small pieces and
/// read through <see cref="StreamingCodeGenerator"/>, as in a run.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class AnswerParserTests
{
    [TestCase("```python path=src/app.py\n", TestName = "path attribute")]
    [TestCase("```python path=\"src/app.py\"\n", TestName = "quoted path attribute")]
    [TestCase("```python:src/app.py\n", TestName = "lang:path")]
    [TestCase("```python title=\"src/app.py\"\n", TestName = "title attribute")]
    [TestCase("```python filename=src/app.py\n", TestName = "filename attribute")]
    [TestCase("```src/app.py\n", TestName = "path as the first word")]
    [TestCase("**`src/app.py`**\n```python\n", TestName = "file-name line before the fence")]
    [TestCase("File: src/app.py\n\n```python\n", TestName = "File: label before the fence")]
    [TestCase("### src/app.py\n```python\n", TestName = "heading before the fence")]
    public async Task Push_FileNameConvention_NamesTheFile(string opening)
    {
        string answer = "Here it is.\n\n" + opening + "print('hi')\n```\n";

        (AnswerParseResult result, EventLog log, _) = await ParseAsync(answer);

        result.Edits.Should().Equal(new FileEdit("src/app.py", FileEditKind.Write, "print('hi')\n"));
        log.Of<FileStarted>().Should().Equal(new FileStarted(1, "src/app.py", FileEditKind.Write));
        log.Of<FileCompleted>().Should().Equal(new FileCompleted(1, "src/app.py", FileEditKind.Write, 1));
    }

    [Test]
    public async Task Push_PathWithSpacesAndNoExtension_IsReadFromThePathAttribute()
    {
        (AnswerParseResult result, _, _) = await ParseAsync(
            "```text path=\"docs/read me.txt\"\nA\n```\n```text path=LICENSE\nMIT\n```\n```bash path=bin/run\necho\n```\n");

        result.Edits.Select(e => e.Path).Should().Equal("docs/read me.txt", "LICENSE", "bin/run");
    }

    [TestCase("```delete path=old.txt\n```\n", TestName = "delete block")]
    [TestCase("```delete old.txt\n```\n", TestName = "delete block, bare path")]
    [TestCase("DELETE: old.txt\n", TestName = "DELETE line")]
    [TestCase("- DELETE: `old.txt`\n", TestName = "DELETE list item")]
    public async Task Push_Deletion_IsADeleteEdit(string deletion)
    {
        (AnswerParseResult result, EventLog log, _) = await ParseAsync("Removing it.\n\n" + deletion);

        result.Edits.Should().Equal(new FileEdit("old.txt", FileEditKind.Delete, null));
        log.Of<FileCompleted>().Should().Equal(new FileCompleted(1, "old.txt", FileEditKind.Delete, 0));
    }

    [Test]
    public async Task Push_ProseMentioningDelete_IsNotADeletion()
    {
        (AnswerParseResult result, _, _) = await ParseAsync("Delete: the old helper is gone.\nWe DELETE: nothing here.\n");

        result.Edits.Should().BeEmpty();
    }

    [Test]
    public async Task Push_LongerFence_KeepsTripleBacktickLinesInTheFile()
    {
        string readme = "# Usage\n\n```bash\nmake\n```\n";

        (AnswerParseResult result, _, _) = await ParseAsync("````markdown path=README.md\n" + readme + "````\n");

        result.Edits.Should().Equal(new FileEdit("README.md", FileEditKind.Write, readme));
    }

    [Test]
    public async Task Push_FenceIndentedInAListItem_RemovesTheIndentationAsCommonMarkDoes()
    {
        (AnswerParseResult result, _, _) = await ParseAsync(
            "1. Update the module:\n\n   ```python path=m.py\n   def f():\n       return 1\n   ```\n");

        result.Edits.Should().Equal(new FileEdit("m.py", FileEditKind.Write, "def f():\n    return 1\n"));
    }

    [Test]
    public async Task Push_CrlfAnswer_GivesNewlineEndedContents()
    {
        (AnswerParseResult result, _, _) = await ParseAsync("Done.\r\n\r\n```text path=a.txt\r\none\r\ntwo\r\n```\r\n");

        result.Edits.Should().Equal(new FileEdit("a.txt", FileEditKind.Write, "one\ntwo\n"));
    }

    [Test]
    public async Task Push_EmptyBlock_WritesAnEmptyFile()
    {
        (AnswerParseResult result, _, _) = await ParseAsync("```text path=empty.txt\n```\n");

        result.Edits.Should().Equal(new FileEdit("empty.txt", FileEditKind.Write, ""));
    }

    [Test]
    public async Task Complete_BlockWithoutAFileName_IsIgnoredWithAWarning()
    {
        (AnswerParseResult result, _, List<string> warnings) = await ParseAsync("For example:\n\n```python\nprint(1)\n```\n");

        result.Edits.Should().BeEmpty();
        warnings.Should().ContainSingle().Which.Should().Contain("names no file");
    }

    [Test]
    public async Task Complete_DiffInsteadOfContents_IsIgnoredWithAWarning()
    {
        (AnswerParseResult result, _, List<string> warnings) = await ParseAsync("```diff path=app.py\n-a\n+b\n```\n");

        result.Edits.Should().BeEmpty();
        warnings.Should().ContainSingle().Which.Should().Contain("complete contents");
    }

    [Test]
    public async Task Complete_SameFileTwice_KeepsTheLastWithAWarning()
    {
        (AnswerParseResult result, _, List<string> warnings) = await ParseAsync(
            "```text path=a.txt\nfirst\n```\n```text path=b.txt\nb\n```\n```text path=a.txt\nsecond\n```\n");

        result.Edits.Should().Equal(new FileEdit("b.txt", FileEditKind.Write, "b\n"), new FileEdit("a.txt", FileEditKind.Write, "second\n"));
        warnings.Should().ContainSingle().Which.Should().Contain("more than once");
    }

    [Test]
    public async Task Complete_AnswerCutOffInsideAFile_Throws()
    {
        Func<Task> parse = () => ParseAsync("```text path=a.txt\nhalf a fi", finishReason: "length");

        (await parse.Should().ThrowAsync<AnswerFormatException>()).Which.Message.Should().Contain("'a.txt'").And.Contain("--max-tokens");
    }

    [TestCase("[CONFIDENT]\n", ReviewVerdict.Confident)]
    [TestCase("\n  [CONFIDENT]  \n", ReviewVerdict.Confident)]
    [TestCase("[REVISION NEEDED]\nFix it.\n", ReviewVerdict.RevisionNeeded)]
    [TestCase("[confident]\n", ReviewVerdict.Unrecognized)]
    [TestCase("**[CONFIDENT]**\n", ReviewVerdict.Unrecognized)]
    [TestCase("[CONFIDENT] looks good\n", ReviewVerdict.Unrecognized)]
    [TestCase("Looks good.\n[CONFIDENT]\n", ReviewVerdict.Unrecognized)]
    [TestCase("```text path=a.txt\nx\n```\n[REVISION NEEDED]\n", ReviewVerdict.Unrecognized)]
    [TestCase("[CONFIDENT][REVISION NEEDED]\n", ReviewVerdict.Unrecognized)]
    public async Task Complete_ReviewAnswer_ParsesTheVerdictStrictly(string answer, ReviewVerdict expected)
    {
        (AnswerParseResult result, _, _) = await ParseAsync(answer, expectVerdict: true);

        result.Verdict.Should().Be(expected);
    }

    [Test]
    public async Task Push_UnsafePath_ThrowsAsSoonAsTheFenceLineArrives()
    {
        var log = new EventLog();

        Func<Task> parse = () => ParseAsync("```text path=ok.txt\nok\n```\n```text path=../up.txt\nx\n```\n", log: log);

        await parse.Should().ThrowAsync<UnsafePathException>();
        log.Of<FileCompleted>().Select(f => f.Path).Should().Equal("ok.txt");
    }

    private static async Task<(AnswerParseResult Result, EventLog Log, List<string> Warnings)> ParseAsync(
        string answer, bool expectVerdict = false, string finishReason = "stop", EventLog? log = null)
    {
        log ??= new EventLog();
        var warnings = new List<string>();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(answer, pieceLength: 3, finishReason: finishReason));
        CodeGenerationStream stream = TestGenerators.Create(server).GenerateAsync("answer");
        var parser = new AnswerParser(1, log.Report, warnings.Add, () => stream.Stats.TokenCount, RepositoryPath.Normalize, expectVerdict);
        await foreach (Chunk chunk in stream)
        {
            parser.Push(chunk);
        }

        return (parser.Complete(stream.Stats.IsTruncated), log, warnings);
    }
}
