using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Single-threaded tokenizer throughput: cold (first call in the process, including loading the embedded rank
/// table), warm CountTokens, warm EncodeToIds, the live IncrementalTokenCounter fed in small chunks, and the
/// "a" x 100,000 worst case (--worst-length to change it, 0 to skip it). Prints one JSON line per measurement; MB means 10^6 UTF-8 bytes of input.
/// </summary>
internal static class TokenizerThroughput
{
    public static int Run(ReadOnlySpan<string> args)
    {
        string? corpusPath = null;
        string encodingName = "o200k_base";
        int iterations = 5;
        int worstLength = 100_000;
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

        TokenizerEncoding encoding = encodingName switch
        {
            "o200k_base" => TokenizerEncoding.O200kBase,
            "cl100k_base" => TokenizerEncoding.Cl100kBase,
            _ => throw new ArgumentException($"unknown encoding '{encodingName}'", nameof(args)),
        };

        string text = File.ReadAllText(corpusPath, Encoding.UTF8);
        double megabytes = Encoding.UTF8.GetByteCount(text) / 1e6;

        // Cold: the first call in this process, including the lazy load of the embedded rank table.
        long start = Stopwatch.GetTimestamp();
        Tokenizer tokenizer = Tokenizer.Get(encoding);
        int tokens = tokenizer.CountTokens(text);
        double cold = Stopwatch.GetElapsedTime(start).TotalSeconds;
        Report("ours", encodingName, "cold", megabytes, cold, tokens);

        // Warm-up so that tiered compilation has reached its final code, then measure.
        for (int i = 0; i < 2; i++)
        {
            tokenizer.CountTokens(text);
        }

        Report("ours", encodingName, "warm", megabytes, Median(iterations, () => tokenizer.CountTokens(text)), tokens);
        Report("ours", encodingName, "encode-warm", megabytes, Median(iterations, () => tokenizer.EncodeToIds(text).Count), tokens);
        Report("ours", encodingName, "incremental-16-char-chunks", megabytes, Median(Math.Max(1, iterations / 2), () => CountIncrementally(tokenizer, text, 16)), tokens);

        if (worstLength > 0)
        {
            string worst = new('a', worstLength);
            int worstTokens = tokenizer.CountTokens(worst);
            double worstSeconds = Median(iterations, () => tokenizer.CountTokens(worst));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{{\"impl\":\"ours\",\"encoding\":\"{encodingName}\",\"mode\":\"worst-case-a-x-{worstLength}\",\"ms\":{worstSeconds * 1000:F3},\"tokens\":{worstTokens}}}"));
        }

        return 0;
    }

    private static int CountIncrementally(Tokenizer tokenizer, string text, int chunk)
    {
        var counter = new IncrementalTokenCounter(tokenizer);
        for (int i = 0; i < text.Length; i += chunk)
        {
            counter.Append(text.AsSpan(i, Math.Min(chunk, text.Length - i)));
        }

        return counter.Count;
    }

    private static double Median(int iterations, Func<int> action)
    {
        var seconds = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(seconds);
        return seconds[iterations / 2];
    }

    private static void Report(string impl, string encoding, string mode, double megabytes, double seconds, int tokens)
        => Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"impl\":\"{impl}\",\"encoding\":\"{encoding}\",\"mode\":\"{mode}\",\"mb\":{megabytes:F3},\"seconds\":{seconds:F4},\"mbPerSecond\":{megabytes / seconds:F2},\"tokens\":{tokens}}}"));
}
