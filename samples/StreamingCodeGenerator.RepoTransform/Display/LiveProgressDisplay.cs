using Spectre.Console;
using Spectre.Console.Rendering;

namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary>
/// Live progress on a terminal (Spectre.Console): the repository and the files shown, then each round with the file
/// being written, its lines so far and the answer's tokens, redrawn as the model writes. Paths, review lines and
/// warnings come from the model or the repository, so their control characters are shown visibly.
/// </summary>
internal sealed class LiveProgressDisplay : IProgress<TransformEvent>
{
    private const int MaxShownExclusions = 8;
    private const int ShownOutputLines = 12;

    private readonly List<string> _header = [];
    private readonly List<string> _lines = [];
    private LiveDisplayContext? _context;
    private string? _current;

    public static async Task<TransformResult> RunAsync(RepositoryTransformer transformer, TransformRequest request, CancellationToken cancellationToken)
    {
        var display = new LiveProgressDisplay();
        TransformResult? result = null;
        await AnsiConsole.Live(display.Render())
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .Cropping(VerticalOverflowCropping.Top)
            .StartAsync(async context =>
        {
            display._context = context;
            try
            {
                result = await transformer.RunAsync(request, display, cancellationToken);
            }
            finally
            {
                display._current = null;
                display.Refresh();
            }
        });
        return result!;
    }

    public void Report(TransformEvent value)
    {
        switch (value)
        {
            case RepositoryOpened opened:
                _header.Add($"[bold]repository[/] {Markup.Escape(Describe.Shown(opened.Root))}{(opened.IsClone ? " [grey](clone)[/]" : "")} [grey]{Describe.Short(opened.Commit)}, {opened.FileCount} files[/]");
                break;
            case FilesSelected selected:
                _header.Add($"[bold]shown[/] {selected.Included.Count} files, prompt {Describe.Number(selected.PromptTokens)} of {Describe.Number(selected.MaxPromptTokens)} tokens");
                if (selected.Excluded.Count > 0)
                {
                    string listed = string.Join(", ", selected.Excluded.Take(MaxShownExclusions).Select(f => $"{Markup.Escape(Describe.Shown(f.Path))} ({Describe.Reason(f.Reason)})"));
                    string more = selected.Excluded.Count > MaxShownExclusions ? $" and {selected.Excluded.Count - MaxShownExclusions} more" : "";
                    _header.Add($"[bold]left out[/] [grey]{listed}{more}[/]");
                }

                break;
            case RoundStarted started:
                _lines.Add($"[bold]round {started.Round}[/] {Describe.Round(started.Kind)} [grey]prompt {Describe.Number(started.PromptTokens)} tokens[/]");
                break;
            case FileStarted file:
                _current = $"  [yellow]{Describe.Edit(file.Edit, done: false)}[/] {Markup.Escape(Describe.Shown(file.Path))}";
                break;
            case FileProgress progress:
                _current = $"  [yellow]writing[/] {Markup.Escape(Describe.Shown(progress.Path))} [grey]{progress.Lines} lines, {Describe.Number(progress.OutputTokens)} tokens[/]";
                break;
            case FileCompleted file:
                _current = null;
                _lines.Add(file.Edit == FileEditKind.Delete
                    ? $"  [red]deleted[/] {Markup.Escape(Describe.Shown(file.Path))}"
                    : $"  [green]wrote[/] {Markup.Escape(Describe.Shown(file.Path))} [grey]{file.Lines} lines[/]");
                break;
            case RoundCompleted completed:
                _lines.Add($"  [grey]{Describe.Number(completed.OutputTokens)} tokens, {completed.FileEdits} files[/]");
                break;
            case ReviewCompleted review:
                string color = review.Verdict == ReviewVerdict.Confident ? "green" : "yellow";
                _lines.Add($"  review: [{color}]{Markup.Escape(Describe.Shown(review.FirstLine ?? "(empty)"))}[/]");
                break;
            case TransformWarning warning:
                _lines.Add($"  [yellow]warning:[/] {Markup.Escape(Describe.Shown(warning.Message))}");
                break;
            case CheckStarted check:
                _current = $"  [yellow]checking[/] {Markup.Escape(Describe.Shown(check.Command))}";
                break;
            case CheckCompleted check:
                _current = null;
                string mark = check.Check.Passed ? "green" : "red";
                _lines.Add($"  [{mark}]check[/] {Markup.Escape(Describe.Shown(check.Check.Command))} [{mark}]{Markup.Escape(Describe.Check(check.Check))}[/]");
                if (!check.Check.Passed)
                {
                    _lines.AddRange(Describe.LastLines(check.Output, ShownOutputLines).Select(line => $"    [grey]| {Markup.Escape(Describe.Shown(line))}[/]"));
                }

                break;
            case ChangesApplied applied:
                _lines.Add($"[green]applied[/] the diff to {applied.Files.Count} files");
                break;
            default:
                return;
        }

        Refresh();
    }

    private void Refresh()
    {
        if (_context is not null)
        {
            _context.UpdateTarget(Render());
            _context.Refresh();
        }
    }

    private IRenderable Render()
    {
        var rows = new List<IRenderable>();
        rows.AddRange(_header.Select(line => new Markup(line)));
        rows.AddRange(_lines.Select(line => new Markup(line)));
        if (_current is not null)
        {
            rows.Add(new Markup(_current));
        }

        return rows.Count == 0 ? new Markup("[grey]opening the repository…[/]") : new Rows(rows);
    }
}
