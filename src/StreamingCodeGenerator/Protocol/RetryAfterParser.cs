using System.Globalization;

namespace StreamingCodeGeneration;

/// <summary>
/// Reads how long a server asks us to wait: <c>retry-after-ms</c>, then <c>Retry-After</c> (seconds or an HTTP date).
/// Absurd values (<c>99999999999999</c>, <c>1e300</c>) are clamped to <see cref="MaxWait"/> rather than overflowing.
/// </summary>
internal static class RetryAfterParser
{
    /// <summary>The longest wait a server can ask for; longer requests are clamped to it (and outlive any total timeout).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(365);

    public static TimeSpan? Parse(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (retryAfterMs is not null
            && double.TryParse(retryAfterMs.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double ms)
            && ms >= 0)
        {
            return ms >= MaxWait.TotalMilliseconds ? MaxWait : TimeSpan.FromMilliseconds(ms);
        }

        if (retryAfter is null)
        {
            return null;
        }

        string value = retryAfter.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            if (seconds < 0 || double.IsNaN(seconds))
            {
                return null;
            }

            return seconds >= MaxWait.TotalSeconds ? MaxWait : TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date))
        {
            TimeSpan delta = date - now;
            return delta <= TimeSpan.Zero ? TimeSpan.Zero : delta >= MaxWait ? MaxWait : delta;
        }

        return null;
    }
}
