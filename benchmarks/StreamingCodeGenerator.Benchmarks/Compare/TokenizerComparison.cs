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

    private sealed record Measurement(string Impl, string Encoding, string Mode, double? MbPerSecond, double? Ms, int Tokens);

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
            foreach (string encoding in new[] { "o200k_base", "cl100k_base" })
            {
                Console.Error.WriteLine($"  {encoding}: npm tiktoken, npm gpt-tokenizer, ours (each in a fresh process)");
                foreach (string impl in new[] { Tiktoken, GptTokenizer })
                {
                    ChildProcess.Output output = await ChildProcess.RunAsync("node", [Path.Combine(scripts, "bench.mjs"), corpus, impl, encoding, iterations, worstLength], scripts);
                    measurements.AddRange(Parse(await Expect(output, $"bench.mjs {impl} {encoding}")));
                }

                ChildProcess.Output ours = await ChildProcess.RunAsync(self, [.. prefix, "tokenizer", "--corpus", corpus, "--encoding", encoding, "--iterations", iterations, "--worst-length", worstLength]);
                measurements.AddRange(Parse(await Expect(ours, $"tokenizer {encoding}")));
            }

            foreach (string encoding in new[] { "o200k_base", "cl100k_base" })
            {
                AddLines(row, measurements, encoding, settings.TokenizerWorstLength);
            }

            row.Details["corpusBytes"] = new FileInfo(corpus).Length;
            row.Details["seed"] = 42;
            row.Details["iterations"] = settings.TokenizerIterations;
            row.Details["node"] = node.StandardOutput.Trim();
            row.Details["measurements"] = measurements;
            row.Notes.Add($"Token counting: a {new FileInfo(corpus).Length / 1e6:0.0} MB deterministic prose + code corpus (seed 42), MB = 10⁶ UTF-8 bytes, single thread, each implementation in a fresh process (node {node.StandardOutput.Trim()}, npm tiktoken 1.0.22, gpt-tokenizer 4.0.0). Warm is the median of {settings.TokenizerIterations}; cold is the first call, loading included. The peers have no incremental counter, so incremental is against their warm whole-text count. gpt-tokenizer's counts differ slightly from tiktoken's (it treats U+FEFF as white space); ours must equal tiktoken's exactly.");
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
                $"{Format.Times(vsTiktoken)} · {Format.Times(vsGpt)} faster",
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
            $"{Format.Times(tiktokenWorst.Ms.Value / oursWorst.Ms.Value)} · {Format.Times(gptWorst.Ms.Value / oursWorst.Ms.Value)} faster",
            tiktokenWorst.Ms.Value / oursWorst.Ms.Value));
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
