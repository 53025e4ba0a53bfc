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
