using System.Globalization;

namespace StreamingCodeGeneration;

/// <summary>Reads how long a server asks us to wait: <c>retry-after-ms</c>, then <c>Retry-After</c> (seconds or an HTTP date).</summary>
internal static class RetryAfterParser
{
    public static TimeSpan? Parse(string? retryAfterMs, string? retryAfter, DateTimeOffset now)
    {
        if (retryAfterMs is not null
            && double.TryParse(retryAfterMs.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double ms)
            && ms >= 0 && !double.IsInfinity(ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        if (retryAfter is null)
        {
            return null;
        }

        string value = retryAfter.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds))
        {
            return seconds >= 0 && !double.IsInfinity(seconds) ? TimeSpan.FromSeconds(seconds) : null;
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset date)
            || DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date))
        {
            TimeSpan delta = date - now;
            return delta > TimeSpan.Zero ? delta : TimeSpan.Zero;
        }

        return null;
    }
}
