using System.Globalization;
using System.Text.Json;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Row 3: token counting on the deterministic prose + code corpus (benchmarks/tokenizer/make-corpus.mjs) against npm
/// tiktoken (WASM) and npm gpt-tokenizer (pure JS), each in a fresh single-threaded process, and against the .NET
/// tokenizers a .NET user would pick instead (SharpToken, Microsoft.ML.Tokenizers), measured in the same process as
/// ours in interleaved rounds; cold is the first call in a fresh process for every implementation. Warm, cold,
/// incremental (16-character chunks), the <c>"a"</c> × 100,000 worst case and the incremental worst case (<c>"a"</c> ×
/// 32,000 appended in 8-character pieces, the count read after each), for o200k_base and cl100k_base. Our counts must
/// equal tiktoken's exactly. Skipped with a note when node is absent (the corpus is made by a node script).
/// </summary>
internal static class TokenizerComparison
{
    private const double AimTiktoken = 15;
    private const double AimGptTokenizer = 5;
    private const double AimDotNetPeers = 3;
    private const double AimIncrementalVsOneShot = 3;
    private const string Tiktoken = "tiktoken";
    private const string GptTokenizer = "gpt-tokenizer";
    private const string Ours = "ours";
    private const string SharpToken = "sharptoken";
    private const string MlTokenizers = "mltokenizers";
    private const string DotNetPeers = "SharpToken 2.0.6 · Microsoft.ML.Tokenizers 3.0.0";

    private sealed record Measurement(string Impl, string Encoding, string Mode, double? MbPerSecond, double? Ms, int Tokens, int Round = 0, int Process = 0);

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
            string incrementalLength = settings.TokenizerIncrementalLength.ToString(CultureInfo.InvariantCulture);
            (string self, string[] prefix) = ChildProcess.Self();
            var measurements = new List<Measurement>();

            // One process per npm tokenizer; the .NET ones share a process with ours, one process per cold start.
            string[] dotnetColds = settings.TokenizerColdPeers ? [Ours, SharpToken, MlTokenizers] : [Ours];
            string[] runs = [Tiktoken, GptTokenizer, .. dotnetColds];
            int process = 0;
            for (int round = 0; round < settings.TokenizerRounds; round++)
            {
                foreach (string encoding in new[] { "o200k_base", "cl100k_base" })
                {
                    Console.Error.WriteLine($"  round {round + 1} of {settings.TokenizerRounds}, {encoding}: npm tiktoken, npm gpt-tokenizer and {runs.Length - 2} .NET process(es) (ours, SharpToken, Microsoft.ML.Tokenizers), each fresh");
                    for (int i = 0; i < runs.Length; i++)
                    {
                        string run = runs[(i + round) % runs.Length];
                        bool npm = run is Tiktoken or GptTokenizer;

                        // The slow worst cases once per encoding: in round 0, in the process where ours starts cold.
                        bool worstHere = round == 0 && (npm || run == Ours);
                        string worst = worstHere ? worstLength : "0";
                        ChildProcess.Output output = npm
                            ? await ChildProcess.RunAsync("node", [Path.Combine(scripts, "bench.mjs"), corpus, run, encoding, iterations, worst], scripts)
                            : await ChildProcess.RunAsync(self, [.. prefix, "tokenizer", "--corpus", corpus, "--encoding", encoding, "--iterations", iterations, "--worst-length", worst, "--incremental-length", worstHere ? incrementalLength : "0", "--impls", $"{Ours},{SharpToken},{MlTokenizers}", "--cold", run], timeout: TimeSpan.FromMinutes(15));
                        int r = round, p = process++;
                        measurements.AddRange(Parse(await Expect(output, $"{run} {encoding}")).Select(m => m with { Round = r, Process = p }));
                    }
                }
            }

            List<Measurement> medians = Medians(measurements, row);
            foreach (string encoding in new[] { "o200k_base", "cl100k_base" })
            {
                AddLines(row, medians, encoding, settings.TokenizerWorstLength);
                AddDotNetLines(row, medians, encoding, settings);
            }

            row.Details["corpusBytes"] = new FileInfo(corpus).Length;
            row.Details["seed"] = 42;
            row.Details["rounds"] = settings.TokenizerRounds;
            row.Details["iterations"] = settings.TokenizerIterations;
            row.Details["node"] = node.StandardOutput.Trim();
            row.Details["measurements"] = measurements;
            row.Notes.Add($"Token counting: a {new FileInfo(corpus).Length / 1e6:0.0} MB deterministic prose + code corpus (seed 42), MB = 10⁶ UTF-8 bytes, single thread (node {node.StandardOutput.Trim()}, npm tiktoken 1.0.22, gpt-tokenizer 4.0.0, {DotNetPeers}). {settings.TokenizerRounds} rounds, the order rotating; npm tiktoken and gpt-tokenizer each in a fresh process, the .NET tokenizers in the same process as ours, counting the corpus in turn ({settings.TokenizerIterations} interleaved rounds per process, the order rotating), with {(settings.TokenizerColdPeers ? "a fresh process for each one's cold start" : "ours cold (the smoke run measures no peer cold)")}. Each figure is the median over all processes of warm (the median of its counts) and cold (the first call, loading included); the worst cases run once per encoding. The npm peers have no incremental counter, so incremental in 16-character chunks is against their warm whole-text count. gpt-tokenizer's counts differ slightly from tiktoken's (it treats U+FEFF as white space); ours must equal tiktoken's exactly.");
            row.Notes.Add($"Token counting, incremental worst case: \"a\" × {Format.Count(settings.TokenizerIncrementalLength)} appended in 8-character pieces, the exact count read after every piece. Ours: one IncrementalTokenCounter (median of {settings.TokenizerIterations}). SharpToken and Microsoft.ML.Tokenizers have no incremental counter, so each counts the whole text so far after every append (what a caller must do for an exact running count; summing per-piece counts is wrong at every piece boundary); timing each of the {Format.Count(settings.TokenizerIncrementalLength / 8)} appends would take hours at full size for a quadratic merge, so each is timed at 8 evenly spaced appends and summed over all of them by linear interpolation. SharpToken: CountTokens with no special tokens disallowed (by default it throws on special-token text). Microsoft.ML.Tokenizers: TiktokenTokenizer.CreateForEncoding + CountTokens, which always counts <|endoftext|> and the other special-token texts as one special token, so its corpus counts differ from tiktoken's where the corpus contains them.");
            AddSpreadNote(row, measurements);
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
        foreach (Measurement ours in all.Where(m => m.Impl == Ours && m.Encoding == encoding && m.MbPerSecond is not null))
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

    /// <summary>The .NET peers, measured in the same processes as ours: warm, cold, the worst case and the incremental worst case.</summary>
    private static void AddDotNetLines(RowResult row, List<Measurement> medians, string encoding, CompareSettings settings)
    {
        Measurement? Find(string impl, string mode) => medians.Find(m => m.Impl == impl && m.Encoding == encoding && m.Mode == mode);
        void Throughput(string measure, string mode, bool aim)
        {
            if (Find(Ours, mode) is not { MbPerSecond: double ours } || Find(SharpToken, mode) is not { MbPerSecond: double sharp } || Find(MlTokenizers, mode) is not { MbPerSecond: double ml })
            {
                return;
            }

            double vsSharp = ours / sharp, vsMl = ours / ml;
            row.Lines.Add(new ComparisonLine(
                measure,
                new Figure(Format.Number(ours, 1) + " MB/s", ours, "MB/s"),
                new Figure($"{Format.Number(sharp, 1)} · {Format.Number(ml, 1)} MB/s", sharp, "MB/s", DotNetPeers),
                Format.Faster(vsSharp, vsMl),
                vsSharp,
                aim ? new Aim($"≥ {AimDotNetPeers:0}× · ≥ {AimDotNetPeers:0}×", vsSharp >= AimDotNetPeers && vsMl >= AimDotNetPeers) : null));
        }

        void Milliseconds(string measure, string mode)
        {
            if (Find(Ours, mode) is not { Ms: double ours } || Find(SharpToken, mode) is not { Ms: double sharp } || Find(MlTokenizers, mode) is not { Ms: double ml })
            {
                return;
            }

            row.Lines.Add(new ComparisonLine(
                measure,
                new Figure(Format.Milliseconds(ours), ours, "ms"),
                new Figure($"{Format.Milliseconds(sharp)} · {Format.Milliseconds(ml)}", sharp, "ms", DotNetPeers),
                Format.Faster(sharp / ours, ml / ours),
                sharp / ours));
        }

        Throughput($"Token counting {encoding}, warm, .NET tokenizers in the same process (interleaved)", "warm", aim: true);
        Throughput($"Token counting {encoding}, cold (first call in a fresh process), .NET tokenizers", "cold", aim: false);
        Milliseconds($"Token counting {encoding}, \"a\" × {Format.Count(settings.TokenizerWorstLength)} (one piece without white space), .NET tokenizers", $"worst-case-a-x-{settings.TokenizerWorstLength}");
        string incremental = $"incremental-worst-a-x-{settings.TokenizerIncrementalLength}";
        Milliseconds($"Token counting {encoding}, \"a\" × {Format.Count(settings.TokenizerIncrementalLength)} in 8-character pieces, exact count after each (ours: incremental; .NET peers: whole text per append)", incremental);
        if (Find(Ours, incremental) is { Ms: double live } && Find(Ours, $"one-shot-a-x-{settings.TokenizerIncrementalLength}") is { Ms: double oneShot })
        {
            double ratio = live / oneShot;
            row.Lines.Add(new ComparisonLine(
                $"Token counting {encoding}, the same \"a\" × {Format.Count(settings.TokenizerIncrementalLength)}: ours incremental (count after every piece) against our own one-shot count",
                new Figure(Format.Milliseconds(live), live, "ms"),
                new Figure(Format.Milliseconds(oneShot), oneShot, "ms", "ours, one CountTokens of the whole text"),
                Format.Times(ratio) + " the time",
                ratio,
                new Aim($"≤ {AimIncrementalVsOneShot:0}×", ratio <= AimIncrementalVsOneShot)));
        }

        foreach (string peer in new[] { SharpToken, MlTokenizers })
        {
            if (Find(peer, "warm") is { } counted && Find(Ours, "warm") is { } ours && counted.Tokens != ours.Tokens)
            {
                row.Details[$"{peer}-{encoding}-tokens"] = counted.Tokens;
                row.Notes.Add($"{encoding}: {(peer == SharpToken ? "SharpToken" : "Microsoft.ML.Tokenizers")} counted {Format.Count(counted.Tokens)} tokens of the corpus, tiktoken and ours {Format.Count(ours.Tokens)}{(peer == MlTokenizers ? " (special-token texts in the corpus count as one special token each)" : string.Empty)}.");
            }
        }
    }

    /// <summary>How far our warm throughput moved between the fresh processes of this run (the process-level spread).</summary>
    private static void AddSpreadNote(RowResult row, List<Measurement> all)
    {
        foreach (IGrouping<string, Measurement> encoding in all.Where(m => m.Impl == Ours && m.Mode == "warm").GroupBy(m => m.Encoding))
        {
            double min = encoding.Min(m => m.MbPerSecond!.Value), max = encoding.Max(m => m.MbPerSecond!.Value);
            row.Details[$"ours-warm-{encoding.Key}-by-process"] = encoding.Select(m => m.MbPerSecond).ToArray();
            row.Notes.Add($"Ours, warm, {encoding.Key}, across the {encoding.Count()} fresh .NET processes of this run: {Format.Number(min, 1)}–{Format.Number(max, 1)} MB/s (spread {Format.Number((max - min) / min * 100, 0)} %).");
        }
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
