using Spectre.Console;

namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary>The final table of files changed and the run's totals.</summary>
internal static class SummaryWriter
{
    public static void WritePlain(TextWriter writer, TransformResult result, string? diffFile, string? demo)
    {
        if (result.Files.Count == 0)
        {
            writer.WriteLine("no changes: the model's answer changes no file.");
        }
        else
        {
            writer.WriteLine("files changed:");
            int width = result.Files.Max(f => f.Path.Length);
            foreach (FileChange file in result.Files)
            {
                writer.WriteLine($"  {Describe.Change(file.Kind)}  {file.Path.PadRight(width)}  +{file.LinesAdded} -{file.LinesRemoved}");
            }
        }

        writer.WriteLine(Totals(result));
        if (Checks(result) is { } checks)
        {
            writer.WriteLine(checks);
        }

        if (diffFile is not null)
        {
            writer.WriteLine($"diff written to {diffFile}");
        }

        if (Describe.NotASuccess(result) is { } failure)
        {
            writer.WriteLine(failure);
        }

        if (demo is not null)
        {
            writer.WriteLine(demo);
        }
    }

    public static void WriteLive(TransformResult result, string? diffFile, string? demo)
    {
        if (result.Files.Count == 0)
        {
            AnsiConsole.MarkupLine("[yellow]no changes:[/] the model's answer changes no file.");
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded).Title("files changed");
            table.AddColumn("");
            table.AddColumn("file");
            table.AddColumn(new TableColumn("added").RightAligned());
            table.AddColumn(new TableColumn("removed").RightAligned());
            foreach (FileChange file in result.Files)
            {
                string color = file.Kind switch { FileChangeKind.Added => "green", FileChangeKind.Deleted => "red", _ => "blue" };
                table.AddRow($"[{color}]{Describe.Change(file.Kind)}[/]", Markup.Escape(Describe.Shown(file.Path)), $"[green]+{file.LinesAdded}[/]", $"[red]-{file.LinesRemoved}[/]");
            }

            AnsiConsole.Write(table);
        }

        AnsiConsole.MarkupLine(Markup.Escape(Totals(result)));
        if (Checks(result) is { } checks)
        {
            AnsiConsole.MarkupLine(Markup.Escape(Describe.Shown(checks)));
        }

        if (diffFile is not null)
        {
            AnsiConsole.MarkupLine($"diff written to [bold]{Markup.Escape(Describe.Shown(diffFile))}[/]");
        }

        if (Describe.NotASuccess(result) is { } failure)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(Describe.Shown(failure))}[/]");
        }

        if (demo is not null)
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(Describe.Shown(demo))}[/]");
        }
    }

    /// <summary>The checks in one line: how many ran and passed, and how the last one ended.</summary>
    private static string? Checks(TransformResult result)
    {
        if (result.Checks.Count == 0)
        {
            return null;
        }

        CheckRun last = result.Checks[^1];
        int passed = result.Checks.Count(c => c.Passed);
        return $"checks: {passed} of {result.Checks.Count} run(s) passed; last: {last.Command} {Describe.Check(last)}";
    }

    private static string Totals(TransformResult result) =>
        $"outcome: {result.Outcome}; verdict: {Describe.Verdict(result.Verdict)}; {result.Rounds} round(s); tokens {Describe.Number(result.PromptTokens)} in, " +
        $"{Describe.Number(result.CompletionTokens)} out; {Describe.Duration(result.Duration)}" +
        (result.RunId is { } id ? $"; run #{id}" : string.Empty);
}
