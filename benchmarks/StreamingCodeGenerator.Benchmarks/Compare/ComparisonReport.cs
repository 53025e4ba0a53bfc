using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// The one table: every row ours against a peer measured in the same run, with the machine it ran on. Written as
/// Markdown (README quotes it verbatim) and as JSON (every figure unrounded, with the details behind it).
/// </summary>
internal sealed class ComparisonReport(string command, CompareSettings settings, MachineInfo machine, DateTimeOffset started)
{
    private static readonly JsonSerializerOptions s_json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public List<RowResult> Rows { get; } = [];

    public string? LoadAverageAtEnd { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>Whether every row that ran passed its correctness checks.</summary>
    public bool Passed => Rows.TrueForAll(r => r.Outcome != RowOutcome.Failed);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        md.AppendLine(settings.Smoke ? "### StreamingCodeGenerator against its peers (smoke run: tiny sizes, figures meaningless)" : "### StreamingCodeGenerator against its peers");
        md.AppendLine();
        md.AppendLine("| # | Measure | Ours | Peer, same run | Ours vs peer | Aim |");
        md.AppendLine("|---|---|---:|---|---:|---|");
        foreach (RowResult row in Rows)
        {
            if (row.Lines.Count == 0)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Number} | {Cell(row.Title)} | — | — | — | {Outcome(row)} |");
                continue;
            }

            foreach (ComparisonLine line in row.Lines)
            {
                string peer = line.Peer.Name is null ? line.Peer.Text : $"{line.Peer.Name}: {line.Peer.Text}";
                // A smoke run's figures mean nothing, so its aims are shown but not judged.
                string aim = line.Aim is null ? string.Empty : settings.Smoke ? line.Aim.Text : $"{line.Aim.Text} {(line.Aim.Met ? "✓" : "✗")}";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Number} | {Cell(line.Measure)} | {Cell(line.Ours.Text)} | {Cell(peer)} | {Cell(line.Comparison)} | {Cell(aim)} |");
            }
        }

        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {machine.Describe()}, {LoadAverageAtEnd ?? "?"} at the end. Run {started.UtcDateTime:yyyy-MM-dd HH:mm} UTC, {(Elapsed.TotalSeconds < 100 ? $"{Elapsed.TotalSeconds:0} s" : $"{Elapsed.TotalMinutes:0.0} min")}.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Reproduce: `{command}`");
        List<string> notes = Rows.SelectMany(r => r.Notes.Select(n => $"{r.Number}. {n}")).ToList();
        if (notes.Count > 0)
        {
            md.AppendLine();
            foreach (string note in notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        return md.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(
        new
        {
            command,
            started,
            elapsedSeconds = Math.Round(Elapsed.TotalSeconds, 1),
            smoke = settings.Smoke,
            passed = Passed,
            machine = new { machine.Cpu, machine.Cores, machine.Os, machine.Dotnet, machine.Node, loadAverageAtStart = machine.LoadAverage, loadAverageAtEnd = LoadAverageAtEnd },
            settings,
            rows = Rows.Select(r => new { r.Number, r.Title, r.Outcome, r.Lines, r.Notes, r.Details }),
        },
        s_json);

    private static string Outcome(RowResult row) => row.Outcome switch
    {
        RowOutcome.Skipped => "skipped (see note)",
        RowOutcome.Failed => "CHECK FAILED (see note)",
        _ => string.Empty,
    };

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
