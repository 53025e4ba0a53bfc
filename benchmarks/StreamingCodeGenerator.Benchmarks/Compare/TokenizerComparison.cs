using System.Globalization;
using System.Text.Json;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Row 3: token counting on the deterministic prose + code corpus (benchmarks/tokenizer/make-corpus.mjs) against npm
/// tiktoken (WASM) and npm gpt-tokenizer (pure JS), every implementation in a fresh single-threaded process so "cold"
/// is honest: warm, cold, incremental (16-character chunks) and the <c>"a"</c> × 100,000 worst case, for o200k_base and
/// cl100k_base. Our counts must equal tiktoken's exactly. Skipped with a note when node is absent.
/// </summary>
internal static class TokenizerComparison
{
    private const double AimTiktoken = 15;
    private const double AimGptTokenizer = 5;
    private const string Tiktoken = "tiktoken";
    private const string GptTokenizer = "gpt-tokenizer";
    private const string Ours = "ours";

    private sealed record Measurement(string Impl, string Encoding, string Mode, double? MbPerSecond, double? Ms, int Tokens, int Round = 0);

    public static async Task<RowResult> RunAsync(CompareSettings settings)
    {
        var row = new RowResult(3, "Token counting");
        string scripts = RepositoryPaths.TokenizerScripts;
        ChildProcess.Output node = await ChildProcess.RunAsync("node", ["--version"], timeout: TimeSpan.FromSeconds(20));
        if (node.ExitCode != 0)
        {
            return row.Skip("node not found: token counting row skipped (install node ≥ 18 and npm to compare with npm tiktoken and gpt-tokenizer).");
        }

        if (!Directory.Exists(Path.Combine(scripts, "node_modules")))
        {
            Console.Error.WriteLine("  installing npm tiktoken and gpt-tokenizer (npm ci) into benchmarks/tokenizer/node_modules");
            ChildProcess.Output install = await ChildProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], scripts, TimeSpan.FromMinutes(5));
            if (install.ExitCode != 0)
            {
                return row.Skip($"npm ci failed in benchmarks/tokenizer: token counting row skipped ({FirstLine(install.StandardError)}).");
            }
        }

        DirectoryInfo work = Directory.CreateTempSubdirectory("scg-tokenizer-");
        try
        {
            string corpus = Path.Combine(work.FullName, "corpus.txt");
            string megabytes = settings.TokenizerMegabytes.ToString(CultureInfo.InvariantCulture);
            await Expect(await ChildProcess.RunAsync("node", [Path.Combine(scripts, "make-corpus.mjs"), corpus, "--megabytes", megabytes, "--seed", "42"]), "make-corpus.mjs");
            string iterations = settings.TokenizerIterations.ToString(CultureInfo.InvariantCulture);
            string worstLength = settings.TokenizerWorstLength.ToString(CultureInfo.InvariantCulture);
            (string self, string[] prefix) = ChildProcess.Self();
            var measurements = new List<Measurement>();
            string[] impls = [Tiktoken, GptTokenizer, Ours];
            for (int round = 0; round < settings.TokenizerRounds; round++)
            {
                // The slow worst case once; the order of the three rotates by round, so none always runs first.
                string worst = round == 0 ? worstLength : "0";
                foreach (string encoding in new[] { "o200k_base", "cl100k_base" })
                {
                    Console.Error.WriteLine($"  round {round + 1} of {settings.TokenizerRounds}, {encoding}: npm tiktoken, npm gpt-tokenizer and ours, each in a fresh process");
                    for (int i = 0; i < impls.Length; i++)
                    {
                        string impl = impls[(i + round) % impls.Length];
                        ChildProcess.Output output = impl == Ours
                            ? await ChildProcess.RunAsync(self, [.. prefix, "tokenizer", "--corpus", corpus, "--encoding", encoding, "--iterations", iterations, "--worst-length", worst])
                            : await ChildProcess.RunAsync("node", [Path.Combine(scripts, "bench.mjs"), corpus, impl, encoding, iterations, worst], scripts);
                        int r = round;
                        measurements.AddRange(Parse(await Expect(output, $"{impl} {encoding}")).Select(m => m with { Round = r }));
                    }
                }
            }

            List<Measurement> medians = Medians(measurements, row);
            foreach (string encoding in new[] { "o200k_base", "cl100k_base" })
            {
                AddLines(row, medians, encoding, settings.TokenizerWorstLength);
            }

            row.Details["corpusBytes"] = new FileInfo(corpus).Length;
            row.Details["seed"] = 42;
            row.Details["rounds"] = settings.TokenizerRounds;
            row.Details["iterations"] = settings.TokenizerIterations;
            row.Details["node"] = node.StandardOutput.Trim();
            row.Details["measurements"] = measurements;
            row.Notes.Add($"Token counting: a {new FileInfo(corpus).Length / 1e6:0.0} MB deterministic prose + code corpus (seed 42), MB = 10⁶ UTF-8 bytes, single thread, each implementation in a fresh process (node {node.StandardOutput.Trim()}, npm tiktoken 1.0.22, gpt-tokenizer 4.0.0). {settings.TokenizerRounds} rounds, the order rotating; each figure is the median over rounds of warm (the median of {settings.TokenizerIterations} counts) and cold (the first call, loading included); the worst case runs once. The peers have no incremental counter, so incremental is against their warm whole-text count. gpt-tokenizer's counts differ slightly from tiktoken's (it treats U+FEFF as white space); ours must equal tiktoken's exactly.");
            return row;
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static void AddLines(RowResult row, List<Measurement> all, string encoding, int worstLength)
    {
        string worst = $"worst-case-a-x-{worstLength}";
        Measurement Find(string impl, string mode) =>
            all.Find(m => m.Impl == impl && m.Encoding == encoding && m.Mode == mode)
            ?? throw new InvalidOperationException($"No {impl} {mode} measurement for {encoding}.");

        Measurement tiktokenWarm = Find(Tiktoken, "warm"), gptWarm = Find(GptTokenizer, "warm");
        foreach (Measurement ours in all.Where(m => m.Impl == Ours && m.Encoding == encoding && m.Mode != worst))
        {
            if (ours.Tokens != tiktokenWarm.Tokens)
            {
                row.Fail($"{encoding} {ours.Mode}: ours counted {ours.Tokens} tokens, npm tiktoken {tiktokenWarm.Tokens}.");
            }
        }

        Measurement oursWorst = Find(Ours, worst), tiktokenWorst = Find(Tiktoken, worst), gptWorst = Find(GptTokenizer, worst);
        if (oursWorst.Tokens != tiktokenWorst.Tokens)
        {
            row.Fail($"{encoding} \"a\" × {worstLength}: ours counted {oursWorst.Tokens} tokens, npm tiktoken {tiktokenWorst.Tokens}.");
        }

        const string Peers = "npm tiktoken · gpt-tokenizer";
        void Throughput(string measure, Measurement ours, Measurement tiktoken, Measurement gpt, bool aim)
        {
            double vsTiktoken = ours.MbPerSecond!.Value / tiktoken.MbPerSecond!.Value, vsGpt = ours.MbPerSecond.Value / gpt.MbPerSecond!.Value;
            row.Lines.Add(new ComparisonLine(
                measure,
                new Figure(Format.Number(ours.MbPerSecond.Value, 1) + " MB/s", ours.MbPerSecond, "MB/s"),
                new Figure($"{Format.Number(tiktoken.MbPerSecond.Value, 1)} · {Format.Number(gpt.MbPerSecond.Value, 1)} MB/s", tiktoken.MbPerSecond, "MB/s", Peers),
                Format.Faster(vsTiktoken, vsGpt),
                vsTiktoken,
                aim ? new Aim($"≥ {AimTiktoken:0}× · ≥ {AimGptTokenizer:0}×", vsTiktoken >= AimTiktoken && vsGpt >= AimGptTokenizer) : null));
        }

        Throughput($"Token counting {encoding}, warm", Find(Ours, "warm"), tiktokenWarm, gptWarm, aim: true);
        Throughput($"Token counting {encoding}, cold (first call in a fresh process)", Find(Ours, "cold"), Find(Tiktoken, "cold"), Find(GptTokenizer, "cold"), aim: false);
        Throughput($"Token counting {encoding}, incremental in 16-character chunks (peers: whole text, warm)", Find(Ours, "incremental-16-char-chunks"), tiktokenWarm, gptWarm, aim: false);
        row.Lines.Add(new ComparisonLine(
            $"Token counting {encoding}, \"a\" × {Format.Count(worstLength)} (one piece without white space)",
            new Figure(Format.Milliseconds(oursWorst.Ms!.Value), oursWorst.Ms, "ms"),
            new Figure($"{Format.Milliseconds(tiktokenWorst.Ms!.Value)} · {Format.Milliseconds(gptWorst.Ms!.Value)}", tiktokenWorst.Ms, "ms", Peers),
            Format.Faster(tiktokenWorst.Ms.Value / oursWorst.Ms.Value, gptWorst.Ms.Value / oursWorst.Ms.Value),
            tiktokenWorst.Ms.Value / oursWorst.Ms.Value));
    }

    /// <summary>One measurement per implementation, encoding and mode: the median over rounds. Token counts must agree across rounds.</summary>
    private static List<Measurement> Medians(List<Measurement> all, RowResult row)
    {
        var medians = new List<Measurement>();
        foreach (IGrouping<(string Impl, string Encoding, string Mode), Measurement> group in all.GroupBy(m => (m.Impl, m.Encoding, m.Mode)))
        {
            Measurement first = group.First();
            if (group.Any(m => m.Tokens != first.Tokens))
            {
                row.Fail($"{first.Impl} {first.Encoding} {first.Mode}: the token count changed between rounds.");
            }

            double? Median(Func<Measurement, double?> figure) =>
                group.All(m => figure(m) is not null) ? Percentiles.Median(Percentiles.Sorted(group.Select(m => figure(m)!.Value))) : null;
            medians.Add(first with { MbPerSecond = Median(m => m.MbPerSecond), Ms = Median(m => m.Ms) });
        }

        return medians;
    }

    private static IEnumerable<Measurement> Parse(string jsonLines)
    {
        foreach (string line in jsonLines.Split('\n'))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            yield return new Measurement(
                root.GetProperty("impl").GetString()!,
                root.GetProperty("encoding").GetString()!,
                root.GetProperty("mode").GetString()!,
                root.TryGetProperty("mbPerSecond", out JsonElement rate) ? rate.GetDouble() : null,
                root.TryGetProperty("ms", out JsonElement ms) ? ms.GetDouble() : null,
                root.GetProperty("tokens").GetInt32());
        }
    }

    private static Task<string> Expect(ChildProcess.Output output, string what) => output.ExitCode == 0
        ? Task.FromResult(output.StandardOutput)
        : throw new InvalidOperationException($"{what} exited with {output.ExitCode}: {FirstLine(output.StandardError)}");

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() ?? "no output";
}
