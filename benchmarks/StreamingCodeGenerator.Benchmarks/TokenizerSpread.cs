using System.Globalization;
using System.Text.Json;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// How much our warm token-counting throughput moves from one fresh process to the next: starts
/// <c>--processes</c> fresh processes per encoding (and per build, interleaved, when <c>--builds</c> names several),
/// each running <see cref="TokenizerProcessProbe"/>, prints one line per process and then each figure's range and
/// spread, (max − min) / min. <c>--load-first ours,sharptoken,mltokenizers</c> lets a peer count first in every
/// second and third process, as row 3 does when a peer starts cold.
/// </summary>
internal static class TokenizerSpread
{
    private static readonly string[] s_figures = ["wallMbPerSecond", "cpuMbPerSecond", "countOverPretokenize", "lookupOverPretokenize", "pretokenizeCpuMbPerSecond"];

    public static async Task<int> RunAsync(ReadOnlyMemory<string> arguments)
    {
        string? corpus = null;
        int processes = 12;
        string counts = "7";
        string[] encodings = ["o200k_base", "cl100k_base"];
        string[] firsts = ["ours"];
        var builds = new List<string>();
        var environment = new Dictionary<string, string>();
        string[] args = arguments.ToArray();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--corpus":
                    corpus = args[++i];
                    break;
                case "--processes":
                    processes = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--counts":
                    counts = args[++i];
                    break;
                case "--encodings":
                    encodings = args[++i].Split(',');
                    break;
                case "--builds":
                    builds.AddRange(args[++i].Split(','));
                    break;
                case "--load-first":
                    firsts = args[++i].Split(',');
                    break;
                case "--env":
                    string[] pair = args[++i].Split('=', 2);
                    environment[pair[0]] = pair.Length > 1 ? pair[1] : string.Empty;
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'");
                    return 2;
            }
        }

        if (corpus is null)
        {
            Console.Error.WriteLine("--corpus <file> is required (node benchmarks/tokenizer/make-corpus.mjs <file> makes row 3's corpus)");
            return 2;
        }

        (string self, string[] prefix) = ChildProcess.Self();
        var commands = builds.Count == 0
            ? new List<(string Build, string FileName, string[] Prefix)> { ("this build", self, prefix) }
            : builds.Select(build => (build, "dotnet", new[] { Path.Combine(build, "StreamingCodeGenerator.Benchmarks.dll") })).ToList();

        Console.WriteLine($"# {processes} fresh processes per encoding and build, {counts} timed counts each; load average {LoadAverage()}");
        var results = new List<(string Build, string Encoding, JsonElement Probe)>();
        for (int p = 0; p < processes; p++)
        {
            for (int k = 0; k < commands.Count; k++)
            {
                // Interleaved: each build in turn, the order rotating, so that both see the same load over the run.
                (string build, string fileName, string[] commandPrefix) = commands[(k + p) % commands.Count];
                string first = firsts[p % firsts.Length];
                string[] loadFirst = first == "ours" ? [] : ["--load-first", first];
                foreach (string encoding in encodings)
                {
                    ChildProcess.Output output = await ChildProcess.RunAsync(
                        fileName,
                        [.. commandPrefix, "tokenizer-probe", "--corpus", corpus, "--encoding", encoding, "--counts", counts, .. loadFirst],
                        timeout: TimeSpan.FromMinutes(10),
                        environment: environment);
                    if (output.ExitCode != 0)
                    {
                        Console.Error.WriteLine($"{build} {encoding}: exit {output.ExitCode}: {output.StandardError.Trim()}");
                        return 1;
                    }

                    JsonElement probe = JsonDocument.Parse(output.StandardOutput.Trim().Split('\n')[^1]).RootElement.Clone();
                    results.Add((build, encoding, probe));
                    Console.WriteLine($"{build}\t{encoding}\tfirst {first}\tpid {probe.GetProperty("pid")}\twall {probe.GetProperty("wallMbPerSecond")} MB/s\tcpu {probe.GetProperty("cpuMbPerSecond")} MB/s\t"
                        + $"count/pretokenize {probe.GetProperty("countOverPretokenize")}\tlookup/pretokenize {probe.GetProperty("lookupOverPretokenize")}\twaited {probe.GetProperty("waitedMs")} ms\tfirst slot mod 64: {probe.GetProperty("firstSlotMod64")}\t{Tables(probe)}");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"# load average at the end {LoadAverage()}");
        foreach (IGrouping<(string Build, string Encoding), (string Build, string Encoding, JsonElement Probe)> group in results.GroupBy(r => (r.Build, r.Encoding)))
        {
            if (group.Select(r => r.Probe.GetProperty("tokens").GetInt32()).Distinct().Count() != 1)
            {
                Console.Error.WriteLine($"{group.Key.Build} {group.Key.Encoding}: the token count differs between processes");
                return 1;
            }

            foreach (string figure in s_figures)
            {
                double[] values = group.Select(r => r.Probe.GetProperty(figure).GetDouble()).Order().ToArray();
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{group.Key.Build}\t{group.Key.Encoding}\t{figure}\tmin {values[0]:0.###}\tmedian {values[values.Length / 2]:0.###}\tmax {values[^1]:0.###}\tspread {(values[^1] - values[0]) / values[0] * 100:0} %"));
            }
        }

        return 0;
    }

    private static string Tables(JsonElement probe)
        => string.Join(' ', probe.GetProperty("tables").EnumerateArray().Select(t => $"{t.GetProperty("name").GetString()}:{t.GetProperty("mod4K")}/{t.GetProperty("mod2M")}/thp{t.GetProperty("hugePagesKb")}"));

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
