using System.Globalization;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>How the table writes numbers: invariant culture, thousands separators, units spelled the same everywhere.</summary>
internal static class Format
{
    public static string Count(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Number(double value, int decimals) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A ratio as "2.05×" (three significant figures above 10: "15.1×", "566×").</summary>
    public static string Times(double ratio) => ratio switch
    {
        >= 100 => Count(ratio) + "×",
        >= 10 => Number(ratio, 1) + "×",
        _ => Number(ratio, 2) + "×",
    };

    /// <summary>A speed ratio in words: "2.05× faster", or "0.97× the speed" below 1.</summary>
    public static string Faster(double ratio) => ratio >= 1 ? Times(ratio) + " faster" : Times(ratio) + " the speed";

    /// <summary>Two speed ratios against two peers: "15.1× · 5.02× faster", or "… the speed" when either is below 1.</summary>
    public static string Faster(double first, double second) =>
        $"{Times(first)} · {Times(second)} {(first >= 1 && second >= 1 ? "faster" : "the speed")}";

    public static string Milliseconds(double ms) => ms switch
    {
        >= 100 => Count(ms) + " ms",
        >= 10 => Number(ms, 1) + " ms",
        _ => Number(ms, 2) + " ms",
    };

    /// <summary>A difference in milliseconds with its sign: "+0.21 ms", "−0.03 ms".</summary>
    public static string SignedMilliseconds(double ms) => (ms < 0 ? "−" : "+") + Milliseconds(Math.Abs(ms));

    public static string Megabytes(double bytes) => Number(bytes / (1024 * 1024), 1) + " MiB";

    public static string Kilobytes(double bytes) => Number(bytes / 1024, 1) + " KiB";
}
