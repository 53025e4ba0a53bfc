namespace StreamingCodeGeneration.Benchmarks;

/// <summary>Nearest-rank percentiles of a sample (sorted in place).</summary>
internal static class Percentiles
{
    /// <summary>The nearest-rank <paramref name="percent"/>th percentile of <paramref name="sorted"/>, which must be sorted.</summary>
    public static double Of(ReadOnlySpan<double> sorted, double percent)
    {
        if (sorted.IsEmpty)
        {
            return double.NaN;
        }

        int rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Median(ReadOnlySpan<double> sorted) => Of(sorted, 50);

    public static double[] Sorted(IEnumerable<double> values)
    {
        double[] array = values.ToArray();
        Array.Sort(array);
        return array;
    }
}
