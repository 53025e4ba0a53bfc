namespace StreamingCodeGeneration.RepoTransform.Tests.History;

/// <summary>Runs for the history tests, with every field set.</summary>
internal static class HistoryRuns
{
    public static RunRecord Sample(string prompt) => new()
    {
        StartedAt = new DateTimeOffset(2026, 11, 22, 7, 30, 15, 123, TimeSpan.Zero).AddTicks(4567),
        Repository = "https://example.invalid/owner/repo.git",
        Commit = "0123456789abcdef0123456789abcdef01234567",
        Prompt = prompt,
        Model = "gpt-4o-mini",
        Diff = "diff --git a/a.txt b/a.txt\n--- a/a.txt\n+++ b/a.txt\n@@ -1 +1 @@\n-a\r\n+b ✓\r\n",
        Files = [new FileChange("a.txt", FileChangeKind.Modified, 1, 1), new FileChange("new dir/b.txt", FileChangeKind.Added, 3, 0)],
        PromptTokens = 1234,
        CompletionTokens = 567,
        Duration = TimeSpan.FromMilliseconds(4321),
        Rounds = 2,
        Verdict = ReviewVerdict.Confident,
        Outcome = TransformOutcome.Succeeded,
        Error = "none, but \"quoted\" and 'single'",
        Checks =
        [
            new CheckRun(1, "python3 -m py_compile \"a b.py\"", 1, TimeSpan.FromMilliseconds(52), TimedOut: false),
            new CheckRun(2, "sleep 600 && echo 'never'", null, TimeSpan.FromMilliseconds(300_000), TimedOut: true),
            new CheckRun(3, "git diff --check", 0, TimeSpan.FromMilliseconds(7), TimedOut: false),
        ],
    };
}
