using System.Globalization;
using Spectre.Console;

namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary><c>--list</c>: the most recent runs as a table (Spectre on a terminal, aligned text otherwise).</summary>
internal static class RunListWriter
{
    private static readonly string[] Headers = ["id", "started (UTC)", "outcome", "verdict", "checks", "rounds", "files", "tokens in/out", "time", "model", "repository", "prompt"];

    public static async Task<int> WriteAsync(IRunHistory history, int count, bool plain, CancellationToken cancellationToken)
    {
        IReadOnlyList<RunRecord> runs = await history.ListRecentAsync(count, cancellationToken);
        if (runs.Count == 0)
        {
            Console.WriteLine("no runs yet.");
            return 0;
        }

        List<string[]> rows = runs.Select(Row).ToList();
        if (plain)
        {
            WritePlain(Console.Out, rows);
        }
        else
        {
            var table = new Table().Border(TableBorder.Rounded);
            foreach (string header in Headers)
            {
                table.AddColumn(header);
            }

            foreach (string[] row in rows)
            {
                table.AddRow(row.Select(cell => Markup.Escape(Describe.Shown(cell))).ToArray());
            }

            AnsiConsole.Write(table);
        }

        return 0;
    }

    private static string[] Row(RunRecord run) =>
    [
        run.Id.ToString(CultureInfo.InvariantCulture),
        run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        run.Outcome.ToString(),
        run.Verdict.ToString(),
        run.Checks.Count == 0 ? "-" : $"{run.Checks.Count(c => c.Passed)}/{run.Checks.Count} passed",
        run.Rounds.ToString(CultureInfo.InvariantCulture),
        run.Files.Count.ToString(CultureInfo.InvariantCulture),
        $"{Describe.Number(run.PromptTokens)}/{Describe.Number(run.CompletionTokens)}",
        Describe.Duration(run.Duration),
        Describe.Clip(run.Model, 24),
        Describe.Clip(run.Repository, 40),
        Describe.Clip(run.Prompt, 50),
    ];

    private static void WritePlain(TextWriter writer, List<string[]> rows)
    {
        int[] widths = Headers.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(Line(Headers.Select(h => h.ToUpperInvariant()).ToArray(), widths));
        foreach (string[] row in rows)
        {
            writer.WriteLine(Line(row, widths));
        }
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();
}
