using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Single-threaded tokenizer throughput of ours and the .NET peers (SharpToken, Microsoft.ML.Tokenizers) in one process:
/// cold (the first count in the process, loading included, for the one implementation named by --cold), then warm
/// counting in interleaved rounds (each round counts the corpus once with every implementation, the order rotating),
/// our EncodeToIds and IncrementalTokenCounter (16-character chunks), the "a" x --worst-length worst case and the
/// incremental worst case ("a" x --incremental-length appended in 8-character pieces with the count read after every
/// piece). Prints one JSON line per measurement; MB means 10^6 UTF-8 bytes of input.
/// </summary>
internal static class TokenizerThroughput
{
    private const int IncrementalPiece = 8;

    /// <summary>The peers' incremental worst case is timed at this many evenly spaced appends and summed over all of them.</summary>
    private const int IncrementalSamples = 8;

    public static int Run(ReadOnlySpan<string> args)
    {
        string? corpusPath = null;
        string encodingName = "o200k_base";
        int iterations = 5;
        int worstLength = 100_000;
        int incrementalLength = 32_000;
        string[] impls = [TokenizerImplementation.Ours];
        string cold = TokenizerImplementation.Ours;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--corpus":
                    corpusPath = args[++i];
                    break;
                case "--encoding":
                    encodingName = args[++i];
                    break;
                case "--iterations":
                    iterations = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--worst-length":
                    worstLength = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--incremental-length":
                    incrementalLength = int.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--impls":
                    impls = args[++i].Split(',');
                    break;
                case "--cold":
                    cold = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args[i]}'");
                    return 2;
            }
        }

        if (corpusPath is null)
        {
            Console.Error.WriteLine("--corpus <file> is required");
            return 2;
        }

        if (!impls.Contains(cold))
        {
            impls = [cold, .. impls];
        }

        string text = File.ReadAllText(corpusPath, Encoding.UTF8);
        double megabytes = Encoding.UTF8.GetByteCount(text) / 1e6;

        // Cold: the first count in this process, including loading the rank table (and, for the peers, their data packages).
        long start = Stopwatch.GetTimestamp();
        TokenizerImplementation first = TokenizerImplementation.Create(cold, encodingName);
        int tokens = first.Count(text);
        Report(cold, encodingName, "cold", megabytes, Stopwatch.GetElapsedTime(start).TotalSeconds, tokens);

        var all = new List<TokenizerImplementation> { first };
        all.AddRange(impls.Where(name => name != cold).Select(name => TokenizerImplementation.Create(name, encodingName)));

        // Warm-up so that tiered compilation has reached its final code, then interleaved rounds, the order rotating.
        var counts = new int[all.Count];
        for (int i = 0; i < all.Count; i++)
        {
            counts[i] = all[i].Count(text);
            all[i].Count(text);
        }

        var seconds = all.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < iterations; round++)
        {
            for (int k = 0; k < all.Count; k++)
            {
                int i = (k + round) % all.Count;
                long t0 = Stopwatch.GetTimestamp();
                all[i].Count(text);
                seconds[i].Add(Stopwatch.GetElapsedTime(t0).TotalSeconds);
            }
        }

        for (int i = 0; i < all.Count; i++)
        {
            Report(all[i].Name, encodingName, "warm", megabytes, Median(seconds[i]), counts[i]);
        }

        if (all.Find(impl => impl.Name == TokenizerImplementation.Ours) is { OurTokenizer: { } tokenizer })
        {
            Report(TokenizerImplementation.Ours, encodingName, "encode-warm", megabytes, Median(iterations, () => tokenizer.EncodeToIds(text).Count), tokenizer.CountTokens(text));
            Report(TokenizerImplementation.Ours, encodingName, "incremental-16-char-chunks", megabytes, Median(Math.Max(1, iterations / 2), () => CountIncrementally(tokenizer, text, 16)), tokenizer.CountTokens(text));
        }

        if (worstLength > 0)
        {
            // One piece without white space. The peers' merges are quadratic here (seconds to a minute), so each runs once.
            string worst = new('a', worstLength);
            foreach (TokenizerImplementation impl in all)
            {
                int worstTokens = impl.Count(worst);
                double worstSeconds = impl.Name == TokenizerImplementation.Ours ? Median(iterations, () => impl.Count(worst)) : Time(() => impl.Count(worst));
                ReportMs(impl.Name, encodingName, $"worst-case-a-x-{worstLength}", worstSeconds, worstTokens);
            }
        }

        if (incrementalLength > 0)
        {
            string run = new('a', incrementalLength);
            foreach (TokenizerImplementation impl in all)
            {
                if (impl.OurTokenizer is { } ours)
                {
                    // Ours: the live counter, the count read after every piece; and a one-shot count of the same text.
                    int count = 0;
                    double live = Median(iterations, () => count = CountIncrementally(ours, run, IncrementalPiece));
                    ReportMs(TokenizerImplementation.Ours, encodingName, $"incremental-worst-a-x-{incrementalLength}", live, count);
                    ReportMs(TokenizerImplementation.Ours, encodingName, $"one-shot-a-x-{incrementalLength}", Median(iterations, () => ours.CountTokens(run)), ours.CountTokens(run));
                }
                else
                {
                    (double estimate, int count) = EstimateFullCountPerAppend(impl, run);
                    ReportMs(impl.Name, encodingName, $"incremental-worst-a-x-{incrementalLength}", estimate, count);
                }
            }
        }

        return 0;
    }

    /// <summary>
    /// A peer without an incremental counter counts the whole text so far after each append. Timing all appends would
    /// take hours for a quadratic peer, so the cost is timed at <see cref="IncrementalSamples"/> evenly spaced appends
    /// (the last one included) and summed over every append by linear interpolation between the samples.
    /// </summary>
    private static (double Seconds, int Count) EstimateFullCountPerAppend(TokenizerImplementation impl, string run)
    {
        int appends = (run.Length + IncrementalPiece - 1) / IncrementalPiece;
        var at = new int[IncrementalSamples + 1];
        var cost = new double[IncrementalSamples + 1];
        int count = 0;
        for (int s = 1; s <= IncrementalSamples; s++)
        {
            at[s] = (int)((long)appends * s / IncrementalSamples);
            string prefix = run[..Math.Min(run.Length, at[s] * IncrementalPiece)];
            cost[s] = Time(() => count = impl.Count(prefix));
        }

        double total = 0;
        for (int s = 1; s <= IncrementalSamples; s++)
        {
            // Appends at[s - 1] + 1 .. at[s]: the cost grows from cost[s - 1] to cost[s].
            int n = at[s] - at[s - 1];
            total += n * (cost[s - 1] + cost[s]) / 2;
        }

        return (total, count);
    }

    private static int CountIncrementally(Tokenizer tokenizer, string text, int chunk)
    {
        var counter = new IncrementalTokenCounter(tokenizer);
        int count = 0;
        for (int i = 0; i < text.Length; i += chunk)
        {
            counter.Append(text.AsSpan(i, Math.Min(chunk, text.Length - i)));
            count = counter.Count;
        }

        return count;
    }

    private static double Time(Func<int> action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double Median(int iterations, Func<int> action)
    {
        var seconds = new List<double>(iterations);
        for (int i = 0; i < iterations; i++)
        {
            seconds.Add(Time(action));
        }

        return Median(seconds);
    }

    private static double Median(List<double> seconds)
    {
        seconds.Sort();
        return seconds[seconds.Count / 2];
    }

    private static void Report(string impl, string encoding, string mode, double megabytes, double seconds, int tokens)
        => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"impl\":\"{impl}\",\"encoding\":\"{encoding}\",\"mode\":\"{mode}\",\"mb\":{megabytes:F3},\"seconds\":{seconds:F4},\"mbPerSecond\":{megabytes / seconds:F2},\"tokens\":{tokens}}}"));

    private static void ReportMs(string impl, string encoding, string mode, double seconds, int tokens)
        => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"impl\":\"{impl}\",\"encoding\":\"{encoding}\",\"mode\":\"{mode}\",\"ms\":{seconds * 1000:F3},\"tokens\":{tokens}}}"));
}
