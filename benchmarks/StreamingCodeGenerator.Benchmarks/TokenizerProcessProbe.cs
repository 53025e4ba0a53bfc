using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// One fresh process of <see cref="TokenizerSpread"/>: counts a corpus warm with our tokenizer, as row 3 does (a cold
/// count, two warm-up counts, then timed counts), and prints one JSON line with what can differ between processes.
/// </summary>
/// <remarks>
/// <para>
/// Each timed round runs three passes over the corpus, in the same order: the pre-tokenizer alone (a control: pure
/// computation on the text, streaming through memory), the pre-tokenizer plus one rank-table lookup per piece, and the
/// full count. Each is timed by the wall clock and by this thread's own CPU time (<c>/proc/thread-self/schedstat</c>,
/// in nanoseconds), which leaves out the time this thread waited for a core. On a shared machine the control moves
/// with the load too; a count that moves while its control does not is the process, not the machine.
/// </para>
/// <para>
/// With <c>--load-first sharptoken|mltokenizers</c> a peer counts the corpus first, as in row 3's processes where a
/// peer starts cold. It also prints where the rank tables are (their address modulo a cache line, a page and a 2 MiB huge page) and how
/// much of their memory the kernel backs with transparent huge pages (<c>AnonHugePages</c> in <c>/proc/self/smaps</c>).
/// </para>
/// </remarks>
internal static class TokenizerProcessProbe
{
    private const int WarmUpCounts = 2;

    public static int Run(ReadOnlySpan<string> args)
    {
        string? corpusPath = null;
        string encodingName = "o200k_base";
        int counts = 7;
        string? loadFirst = null;
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
                case "--load-first":
                    loadFirst = args[++i];
                    break;
                case "--counts":
                    counts = int.Parse(args[++i], CultureInfo.InvariantCulture);
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

        string text = File.ReadAllText(corpusPath, Encoding.UTF8);
        double megabytes = Encoding.UTF8.GetByteCount(text) / 1e6;
        bool o200k = encodingName == "o200k_base";

        // Row 3 starts some processes with a peer (its cold count), so ours loads its tables onto a heap already holding the peer's.
        if (loadFirst is not null)
        {
            _ = TokenizerImplementation.Create(loadFirst, encodingName).Count(text);
        }

        Tokenizer tokenizer = Tokenizer.Get(o200k ? TokenizerEncoding.O200kBase : TokenizerEncoding.Cl100kBase);

        int tokens = tokenizer.CountTokens(text);
        for (int i = 0; i < WarmUpCounts; i++)
        {
            _ = tokenizer.CountTokens(text);
        }

        // Warm the two control passes as well, so that all three run tier-1 code when timed.
        for (int i = 0; i < WarmUpCounts + 1; i++)
        {
            _ = PreTokenize(text, o200k);
            _ = LookUpPieces(tokenizer.Vocabulary, text, o200k);
        }

        var pretokenize = new Timings();
        var lookup = new Timings();
        var count = new Timings();
        (long waitBefore, long switchesBefore) = (ThreadCpu().WaitNs, InvoluntarySwitches());
        for (int round = 0; round < counts; round++)
        {
            pretokenize.Time(() => PreTokenize(text, o200k));
            lookup.Time(() => LookUpPieces(tokenizer.Vocabulary, text, o200k));
            int counted = 0;
            count.Time(() => counted = tokenizer.CountTokens(text));
            if (counted != tokens)
            {
                Console.Error.WriteLine($"count changed between rounds: {tokens} then {counted}");
                return 1;
            }
        }

        (long waitAfter, long switchesAfter) = (ThreadCpu().WaitNs, InvoluntarySwitches());
        var json = new StringBuilder();
        json.Append(CultureInfo.InvariantCulture, $"{{\"loadFirst\":\"{loadFirst ?? "ours"}\",\"encoding\":\"{encodingName}\",\"pid\":{Environment.ProcessId},\"mb\":{megabytes:F3},\"tokens\":{tokens}");
        json.Append(CultureInfo.InvariantCulture, $",\"wallMbPerSecond\":{megabytes / count.MedianWall:F2},\"cpuMbPerSecond\":{megabytes / count.MedianCpu:F2}");
        json.Append(CultureInfo.InvariantCulture, $",\"lookupCpuMbPerSecond\":{megabytes / lookup.MedianCpu:F2},\"pretokenizeCpuMbPerSecond\":{megabytes / pretokenize.MedianCpu:F2}");
        json.Append(CultureInfo.InvariantCulture, $",\"countOverPretokenize\":{Timings.MedianRatio(count, pretokenize):F3},\"lookupOverPretokenize\":{Timings.MedianRatio(lookup, pretokenize):F3}");
        json.Append(CultureInfo.InvariantCulture, $",\"waitedMs\":{(waitAfter - waitBefore) / 1e6:F0},\"involuntarySwitches\":{switchesAfter - switchesBefore}");
        json.Append(CultureInfo.InvariantCulture, $",\"firstSlotMod64\":{FirstSlotMod64(tokenizer.Vocabulary)}");
        json.Append(",\"tables\":[");
        bool first = true;
        foreach ((string name, nint address, long bytes) in Tables(tokenizer.Vocabulary))
        {
            json.Append(first ? string.Empty : ",");
            first = false;
            json.Append(CultureInfo.InvariantCulture, $"{{\"name\":\"{name}\",\"bytes\":{bytes},\"mod64\":{address % 64},\"mod4K\":{address % 4096},\"mod2M\":{address % (2 << 20)},\"hugePagesKb\":{AnonHugePagesKb(address)}}}");
        }

        json.Append("]}");
        Console.WriteLine(json.ToString());
        return 0;
    }

    /// <summary>The pre-tokenizer alone: the number of pieces.</summary>
    private static int PreTokenize(string text, bool o200k)
    {
        ReadOnlySpan<char> span = text;
        bool hitEnd = false;
        int pieces = 0;
        for (int start = 0; start < span.Length; pieces++)
        {
            start = o200k ? PreTokenizer.NextO200k(span, start, ref hitEnd) : PreTokenizer.NextCl100k(span, start, ref hitEnd);
        }

        return pieces;
    }

    /// <summary>The pre-tokenizer and one rank lookup of each piece's UTF-8 bytes (no merging): the pieces that are tokens.</summary>
    private static int LookUpPieces(BpeVocabulary vocabulary, string text, bool o200k)
    {
        ReadOnlySpan<char> span = text;
        Span<byte> bytes = stackalloc byte[1024];
        bool hitEnd = false;
        int found = 0;
        for (int start = 0; start < span.Length;)
        {
            int end = o200k ? PreTokenizer.NextO200k(span, start, ref hitEnd) : PreTokenizer.NextCl100k(span, start, ref hitEnd);
            ReadOnlySpan<char> piece = span[start..end];
            if (piece.Length <= 256 && vocabulary.GetRank(bytes[..Encoding.UTF8.GetBytes(piece, bytes)]) >= 0)
            {
                found++;
            }

            start = end;
        }

        return found;
    }

    /// <summary>Every array the vocabulary holds, and those of the tables it holds: field name, address of its first element, size in bytes.</summary>
    private static IEnumerable<(string Name, nint Address, long Bytes)> Tables(object owner, string prefix = "")
    {
        foreach (FieldInfo field in owner.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic))
        {
            object? value = field.GetValue(owner);
            if (value is Array array && array.Length > 0)
            {
                yield return (prefix + field.Name, AddressOf(array), (long)array.Length * Marshal.SizeOf(array.GetType().GetElementType()!));
            }
            else if (value is not null && prefix.Length == 0 && !field.FieldType.IsValueType && field.FieldType.Namespace == typeof(Tokenizer).Namespace)
            {
                foreach ((string Name, nint Address, long Bytes) table in Tables(value, field.Name + "."))
                {
                    yield return table;
                }
            }
        }
    }

    /// <summary>Where the hash table's first slot is within a cache line (the table is the one field holding slots).</summary>
    private static long FirstSlotMod64(BpeVocabulary vocabulary)
    {
        const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;
        if (typeof(BpeVocabulary).GetField("_table", Private)?.GetValue(vocabulary) is { } table
            && table.GetType().GetProperty("FirstSlotMisalignment", Private)?.GetValue(table) is long misalignment)
        {
            return misalignment;
        }

        return typeof(BpeVocabulary).GetField("_slots", Private)?.GetValue(vocabulary) is Array slots ? AddressOf(slots) % 64 : -1;
    }

    /// <summary>The address of an array's first element. The arrays here live on the large object heap, which does not move them.</summary>
    private static nint AddressOf(Array array)
    {
        GCHandle handle = GCHandle.Alloc(array, GCHandleType.Pinned);
        try
        {
            return handle.AddrOfPinnedObject();
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>The AnonHugePages of the mapping in /proc/self/smaps that holds <paramref name="address"/>, in KiB; -1 when unknown.</summary>
    private static long AnonHugePagesKb(nint address)
    {
        try
        {
            bool inside = false;
            foreach (string line in File.ReadLines("/proc/self/smaps"))
            {
                int dash = line.IndexOf('-', StringComparison.Ordinal);
                int space = line.IndexOf(' ', StringComparison.Ordinal);
                if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong from)
                    && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong to))
                {
                    inside = (ulong)address >= from && (ulong)address < to;
                }
                else if (inside && line.StartsWith("AnonHugePages:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(14).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return -1;
    }

    /// <summary>This thread's time on a core and time waiting for one, in nanoseconds (Linux; zeros elsewhere).</summary>
    private static (long CpuNs, long WaitNs) ThreadCpu()
    {
        try
        {
            string[] fields = File.ReadAllText("/proc/thread-self/schedstat").Split(' ');
            return (long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    private static long InvoluntarySwitches()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(27).Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }

    private sealed class Timings
    {
        private readonly List<double> _wall = [];
        private readonly List<double> _cpu = [];

        public double MedianWall => Median(_wall);

        public double MedianCpu => Median(_cpu);

        /// <summary>The median over rounds of this pass's CPU time over the other's in the same round.</summary>
        public static double MedianRatio(Timings a, Timings b) => Median(a._cpu.Select((cpu, i) => cpu / b._cpu[i]).ToList());

        public void Time(Func<int> action)
        {
            long cpu = ThreadCpu().CpuNs;
            long start = Stopwatch.GetTimestamp();
            action();
            _wall.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            _cpu.Add((ThreadCpu().CpuNs - cpu) / 1e9);
        }

        private static double Median(List<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }
    }
}
