using System.Text;
using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Diffs;

/// <summary>Every diff is checked by real git: <c>git apply --check</c>, then applied and the bytes compared.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class UnifiedDiffWriterTests
{
    [Test]
    public async Task Write_ChangesFarApart_GivesSeparateHunksWithThreeLinesOfContext()
    {
        string original = string.Concat(Enumerable.Range(1, 30).Select(i => $"line {i}\n"));
        string changed = original.Replace("line 3\n", "line three\n", StringComparison.Ordinal).Replace("line 25\n", "line twenty-five\n", StringComparison.Ordinal);

        string diff = await RoundTripAsync(("f.txt", original), new PlannedChange("f.txt", FileChangeKind.Modified, original, changed, "100644"));

        diff.Should().Be(
            "diff --git a/f.txt b/f.txt\n--- a/f.txt\n+++ b/f.txt\n" +
            "@@ -1,6 +1,6 @@\n line 1\n line 2\n-line 3\n+line three\n line 4\n line 5\n line 6\n" +
            "@@ -22,7 +22,7 @@\n line 22\n line 23\n line 24\n-line 25\n+line twenty-five\n line 26\n line 27\n line 28\n");
    }

    [Test]
    public async Task Write_ChangesCloseTogether_ShareOneHunk()
    {
        string original = string.Concat(Enumerable.Range(1, 20).Select(i => $"line {i}\n"));
        string changed = original.Replace("line 5\n", "five\n", StringComparison.Ordinal).Replace("line 11\n", "eleven\n", StringComparison.Ordinal);

        string diff = await RoundTripAsync(("n.txt", original), new PlannedChange("n.txt", FileChangeKind.Modified, original, changed, "100644"));

        diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)).Should().Be(1);
        diff.Should().Contain("@@ -2,13 +2,13 @@\n");
    }

    [TestCase("a\nb", "a\nc", TestName = "neither ends with a newline")]
    [TestCase("a\nb", "a\nb\n", TestName = "newline added at the end")]
    [TestCase("a\nb\n", "a\nb", TestName = "newline removed at the end")]
    [TestCase("only", "only\nmore", TestName = "single line without newline grows")]
    [TestCase("x\r\ny\r\n", "x\r\nY\r\n", TestName = "CRLF lines")]
    [TestCase("x\r\ny", "x\r\nz", TestName = "CRLF without final newline")]
    [TestCase("mixed\r\nlf\ncr\rend\n", "mixed\r\nLF\ncr\rend\n", TestName = "mixed endings and a lone CR")]
    [TestCase("\uFEFFbom\nline\n", "\uFEFFbom\nLINE\n", TestName = "byte order mark")]
    [TestCase("ünïcödé ✓\n", "ünïcödé ✗\n", TestName = "non-ASCII text")]
    [TestCase("", "now text\n", TestName = "empty file gains text")]
    [TestCase("text\n", "", TestName = "file emptied")]
    public async Task Write_ModifiedFile_AppliesAndGivesTheExactBytes(string original, string changed)
    {
        await RoundTripAsync(("f.txt", original), new PlannedChange("f.txt", FileChangeKind.Modified, original, changed, "100644"));
    }

    [TestCase("new.txt", "hello\n")]
    [TestCase("deep/er/new.txt", "no newline")]
    [TestCase("empty.txt", "")]
    [TestCase("with space.txt", "spaced\n")]
    [TestCase("quote\"d.txt", "quoted\n")]
    public async Task Write_NewFile_IsCreatedByGitApply(string path, string text)
    {
        await RoundTripAsync(("keep.txt", "keep\n"), new PlannedChange(path, FileChangeKind.Added, null, text, "100644"));
    }

    [TestCase("gone.txt", "bye\n", "100644")]
    [TestCase("gone.txt", "no newline", "100644")]
    [TestCase("gone.txt", "", "100644")]
    [TestCase("tool.sh", "#!/bin/sh\necho hi\n", "100755")]
    [TestCase("dir/with space.txt", "x\n", "100644")]
    public async Task Write_DeletedFile_IsRemovedByGitApply(string path, string text, string mode)
    {
        await RoundTripAsync((path, text), new PlannedChange(path, FileChangeKind.Deleted, text, null, mode), executable: mode == "100755");
    }

    [Test]
    public async Task Write_Rename_IsADeletionAndAnAddition()
    {
        string text = "content\n";

        string diff = await RoundTripAsync(
            ("old/name.txt", text),
            new PlannedChange("new/name.txt", FileChangeKind.Added, null, text, "100644"),
            new PlannedChange("old/name.txt", FileChangeKind.Deleted, text, null, "100644"));

        diff.Should().Contain("new file mode 100644").And.Contain("deleted file mode 100644");
    }

    [Test]
    public void Write_EmptyNewFile_IsTheHeaderAlone()
    {
        (string diff, IReadOnlyList<FileChange> files) = UnifiedDiffWriter.Write([new PlannedChange("e.txt", FileChangeKind.Added, null, "", "100644")]);

        diff.Should().Be("diff --git a/e.txt b/e.txt\nnew file mode 100644\n");
        files.Should().Equal(new FileChange("e.txt", FileChangeKind.Added, 0, 0));
    }

    [Test]
    public void Write_Counts_AreTheAddedAndRemovedLines()
    {
        (_, IReadOnlyList<FileChange> files) = UnifiedDiffWriter.Write([new PlannedChange("c.txt", FileChangeKind.Modified, "a\nb\nc\n", "a\nB\nC\nd\n", "100644")]);

        files.Should().Equal(new FileChange("c.txt", FileChangeKind.Modified, 3, 2));
    }

    /// <summary>Writes the diff, checks it on a repository holding <paramref name="original"/>, applies it and compares bytes.</summary>
    private static async Task<string> RoundTripAsync((string Path, string Text) original, params PlannedChange[] changes) =>
        await RoundTripAsync(original, changes, executable: false);

    private static async Task<string> RoundTripAsync((string Path, string Text) original, PlannedChange change, bool executable) =>
        await RoundTripAsync(original, [change], executable);

    private static async Task<string> RoundTripAsync((string Path, string Text) original, PlannedChange[] changes, bool executable)
    {
        using GitRepository repo = await GitRepository.CreateAsync(new Dictionary<string, string> { [original.Path] = original.Text });
        if (executable)
        {
            await repo.GitAsync("update-index", "--chmod=+x", original.Path);
            await repo.GitAsync("commit", "-q", "-m", "executable");
            await repo.GitAsync("checkout", "--", original.Path);
        }

        (string diff, _) = UnifiedDiffWriter.Write(changes);

        ProcessRunner.Result check = await repo.ApplyCheckAsync(diff);
        check.ExitCode.Should().Be(0, $"git apply --check should accept:\n{diff}\n{check.Error}");
        await repo.ApplyAsync(diff);
        foreach (PlannedChange change in changes)
        {
            if (change.NewText is null)
            {
                repo.Exists(change.Path).Should().BeFalse();
            }
            else
            {
                File.ReadAllBytes(repo.FullPath(change.Path)).Should().Equal(new UTF8Encoding(false).GetBytes(change.NewText), $"{change.Path} after git apply");
            }
        }

        return diff;
    }
}
