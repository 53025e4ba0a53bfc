using System.Globalization;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary>Short words for the display.</summary>
internal static class Describe
{
    public static string Reason(ExclusionReason reason) => reason switch
    {
        ExclusionReason.Binary => "binary",
        ExclusionReason.LockFile => "lock file",
        ExclusionReason.Generated => "generated",
        ExclusionReason.TooLarge => "too large",
        ExclusionReason.SymbolicLink => "symbolic link",
        ExclusionReason.Submodule => "submodule",
        ExclusionReason.Missing => "missing",
        ExclusionReason.OverBudget => "over the token budget",
        _ => reason.ToString(),
    };

    public static string Verdict(ReviewVerdict verdict) => verdict switch
    {
        ReviewVerdict.NotReviewed => "not reviewed",
        ReviewVerdict.Confident => "confident",
        ReviewVerdict.RevisionNeeded => "revision needed (last revision not reviewed)",
        ReviewVerdict.Unrecognized => "unrecognized review answer",
        _ => verdict.ToString(),
    };

    public static string Round(RoundKind kind) => kind switch
    {
        RoundKind.Generate => "generate",
        RoundKind.Review => "review",
        RoundKind.Fix => "fix after a failed check",
        _ => kind.ToString(),
    };

    /// <summary>How a check ended, in a few words: <c>passed (exit 0, 1.2 s)</c>, <c>failed (exit 1, 0.3 s)</c>, <c>timed out after 300.0 s, killed</c>.</summary>
    public static string Check(CheckRun check) =>
        check.TimedOut ? $"timed out after {Duration(check.Duration)}, killed"
        : check.Passed ? $"passed (exit 0, {Duration(check.Duration)})"
        : $"failed (exit {check.ExitCode?.ToString(CultureInfo.InvariantCulture)}, {Duration(check.Duration)})";

    /// <summary>The last lines of a check's output, for a person: the end is where errors are.</summary>
    public static IReadOnlyList<string> LastLines(string output, int count)
    {
        string[] lines = output.TrimEnd('\n', '\r').Split('\n');
        return lines.Length == 1 && lines[0].Length == 0 ? [] : lines[Math.Max(0, lines.Length - count)..].Select(line => line.TrimEnd('\r')).ToArray();
    }

    /// <summary>Why a run that produced a diff is not a success, or <see langword="null"/> when it is one.</summary>
    public static string? NotASuccess(TransformResult result) => result.Outcome switch
    {
        TransformOutcome.ReviewUnrecognized =>
            "NOT A SUCCESS: the review's answer was neither [CONFIDENT] nor [REVISION NEEDED], so the diff is unreviewed (exit code 7).",
        TransformOutcome.ChecksFailed =>
            $"NOT A SUCCESS: a check still fails ({result.Checks.LastOrDefault(c => !c.Passed)?.Command}), so the diff is the last one tried (exit code 8).",
        _ => null,
    };

    public static string Change(FileChangeKind kind) => kind switch
    {
        FileChangeKind.Added => "A",
        FileChangeKind.Deleted => "D",
        _ => "M",
    };

    public static string Edit(FileEditKind kind, bool done) => (kind, done) switch
    {
        (FileEditKind.Delete, false) => "deleting",
        (FileEditKind.Delete, true) => "deleted",
        (_, false) => "writing",
        _ => "wrote",
    };

    /// <summary>Text from the model, the repository or the history as a terminal should show it: control characters visible.</summary>
    public static string Shown(string text) => TerminalText.MakeVisible(text);

    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan duration) => duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    public static string Short(string? commit) => commit is { Length: > 12 } ? commit[..12] : commit ?? "no commit";

    public static string Clip(string text, int length)
    {
        string line = text.ReplaceLineEndings(" ");
        return line.Length <= length ? line : line[..(length - 1)] + "…";
    }
}
