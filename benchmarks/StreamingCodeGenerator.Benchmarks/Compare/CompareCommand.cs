using System.Diagnostics;
using System.Globalization;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// <c>compare [--smoke] [--rows 1,2,...] [--out DIR] [--web-app PATH] [--python PATH] [--fastapi-workers N]</c>: runs the rows, prints the
/// one table and writes it as Markdown and JSON. Exits 1 when a correctness check failed (a missed aim is not a failure:
/// on a busy machine it is noise; the table marks it).
/// </summary>
internal static class CompareCommand
{
    private const string Reproduce = "dotnet run -c Release --project benchmarks/StreamingCodeGenerator.Benchmarks -- compare";

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        bool smoke = false;
        HashSet<int> rows = [1, 2, 3, 4, 5, 6];
        string? outDirectory = null;
        var web = new WebServiceComparison.Options();
        try
        {
            for (int i = 0; i < args.Length; i++)
            {
                string argument = args.Span[i];
                string Value() => ++i < args.Length ? args.Span[i] : throw new ArgumentException($"{argument} needs a value");
                switch (argument)
                {
                    case "--smoke":
                        smoke = true;
                        break;
                    case "--rows":
                        rows = [.. Value().Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture))];
                        break;
                    case "--out":
                        outDirectory = Value();
                        break;
                    case "--web-app":
                        web = web with { WebApp = Value() };
                        break;
                    case "--native":
                        web = web with { Native = true };
                        break;
                    case "--python":
                        web = web with { Python = Value() };
                        break;
                    case "--fastapi-workers":
                        web = web with { FastApiWorkers = int.Parse(Value(), CultureInfo.InvariantCulture) };
                        break;
                    default:
                        Console.Error.WriteLine($"unknown argument '{argument}'");
                        return 2;
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        CompareSettings settings = smoke ? CompareSettings.SmokeSizes : CompareSettings.Full;
        string command = Reproduce + (args.Length > 0 ? " " + string.Join(' ', args.ToArray()) : string.Empty);
        outDirectory ??= RepositoryPaths.Results;
        string name = smoke ? "smoke" : "latest";

        long start = Stopwatch.GetTimestamp();
        MachineInfo machine = await MachineInfo.DescribeAsync();
        var report = new ComparisonReport(command, settings, machine, DateTimeOffset.UtcNow);
        Console.Error.WriteLine($"compare{(smoke ? " --smoke" : string.Empty)} on {machine.Describe()}");

        var steps = new (int Number, string Title, Func<Task<RowResult>> Run)[]
        {
            (1, "Streaming throughput", () => ThroughputComparison.RunAsync(settings)),
            (2, "Time to first chunk", () => FirstChunkLatency.RunAsync(settings)),
            (3, "Token counting", () => TokenizerComparison.RunAsync(settings)),
            (4, "Scale", () => ScaleComparison.RunAsync(settings)),
            (5, "Web service under load", () => WebServiceComparison.RunAsync(settings, web)),
            (6, "Slow streams held", () => SlowStreamsComparison.RunAsync(settings, web)),
        };
        foreach ((int number, string title, Func<Task<RowResult>> run) in steps)
        {
            if (!rows.Contains(number))
            {
                continue;
            }

            Console.Error.WriteLine($"row {number}: {title}...");
            long rowStart = Stopwatch.GetTimestamp();
            RowResult row;
            try
            {
                row = await run();
            }
            catch (Exception ex)
            {
                // A harness that throws has failed its row; the others still run and the table still prints.
                row = new RowResult(number, title).Fail($"{ex.GetType().Name}: {ex.Message}");
                Console.Error.WriteLine(ex);
            }

            Console.Error.WriteLine($"row {number}: {row.Outcome} in {Stopwatch.GetElapsedTime(rowStart).TotalSeconds:0.0} s");
            report.Rows.Add(row);
        }

        report.Elapsed = Stopwatch.GetElapsedTime(start);
        report.LoadAverageAtEnd = MachineInfo.LoadAverageNow();
        string markdown = report.ToMarkdown();
        Console.WriteLine(markdown);
        Directory.CreateDirectory(outDirectory);
        await File.WriteAllTextAsync(Path.Combine(outDirectory, name + ".md"), markdown);
        await File.WriteAllTextAsync(Path.Combine(outDirectory, name + ".json"), report.ToJson() + "\n");
        Console.Error.WriteLine($"wrote {Path.Combine(outDirectory, name)}.md and .json");
        if (!report.Passed)
        {
            Console.Error.WriteLine("a correctness check failed: " + string.Join("; ", report.Rows.Where(r => r.Outcome == RowOutcome.Failed).SelectMany(r => r.Notes.Where(n => n.StartsWith(RowResult.CheckFailed, StringComparison.Ordinal)))));
            return 1;
        }

        return 0;
    }
}
