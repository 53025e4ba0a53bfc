using System.Text.Json.Serialization;
using StreamingCodeGeneration.RepoTransform;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>
/// One <c>event: progress</c> of <c>POST /run/stream</c>: the agent's event by name (repository_opened, files_selected,
/// round_started, file_started, file_progress, file_completed, round_completed, diff_updated, review_completed,
/// check_started, check_completed, warning) with the fields it has. Server paths are never sent, nor a check's output.
/// </summary>
internal sealed record RunProgressEvent(string Type)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Round { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Edit { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Lines { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Tokens { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Count { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Commit { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Verdict { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Diff { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Files { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Command { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ExitCode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? DurationMs { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? TimedOut { get; init; }

    public static RunProgressEvent? From(TransformEvent transformEvent) => transformEvent switch
    {
        RepositoryOpened e => new("repository_opened") { Commit = e.Commit, Count = e.FileCount },
        FilesSelected e => new("files_selected") { Files = [.. e.Included.Select(f => f.Path)], Count = e.Excluded.Count, Tokens = e.PromptTokens },
        RoundStarted e => new("round_started") { Round = e.Round, Message = e.Kind.ToString(), Tokens = e.PromptTokens },
        FileStarted e => new("file_started") { Round = e.Round, Path = e.Path, Edit = e.Edit.ToString() },
        FileProgress e => new("file_progress") { Round = e.Round, Path = e.Path, Lines = e.Lines, Tokens = e.OutputTokens },
        FileCompleted e => new("file_completed") { Round = e.Round, Path = e.Path, Edit = e.Edit.ToString(), Lines = e.Lines },
        RoundCompleted e => new("round_completed") { Round = e.Round, Message = e.Kind.ToString(), Tokens = e.OutputTokens, Count = e.FileEdits },
        DiffUpdated e => new("diff_updated") { Round = e.Round, Diff = e.Diff, Files = [.. e.Files.Select(f => f.Path)] },
        ReviewCompleted e => new("review_completed") { Round = e.Round, Verdict = e.Verdict.ToString() },
        CheckStarted e => new("check_started") { Round = e.Round, Command = e.Command },
        CheckCompleted e => new("check_completed")
        {
            Round = e.Check.Round,
            Command = e.Check.Command,
            ExitCode = e.Check.ExitCode,
            DurationMs = Math.Round(e.Check.Duration.TotalMilliseconds, 1),
            TimedOut = e.Check.TimedOut,
            Verdict = e.Check.Passed ? "passed" : "failed",
        },
        TransformWarning e => new("warning") { Message = e.Message },
        _ => null,
    };
}
