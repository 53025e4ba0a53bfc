using System.Diagnostics;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// Waits for a condition another thread makes true (a client having read some text, for example), checking it every
/// millisecond on the real clock, and fails after a limit so a broken test fails instead of hanging.
/// </summary>
internal static class ConditionWait
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    public static async Task UntilAsync(Func<bool> condition, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (limit != Timeout.InfiniteTimeSpan && Stopwatch.GetElapsedTime(start) > limit)
            {
                throw new TimeoutException($"Gave up after {limit} waiting until {what}.");
            }

            // The condition is about another thread, not about test time: real time is right here.
            await Task.Delay(PollInterval, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
    }

    public static async Task ForAsync(Task signal, TimeSpan limit, string what, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex) when (!signal.IsCompleted)
        {
            throw new TimeoutException($"Gave up after {limit} waiting for {what}.", ex);
        }
    }
}
