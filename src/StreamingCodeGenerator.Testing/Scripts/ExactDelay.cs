namespace StreamingCodeGeneration.Testing;

/// <summary>
/// A delay on a <see cref="TimeProvider"/> that arms a timer for exactly the given time.
/// <c>Task.Delay(TimeSpan, TimeProvider, CancellationToken)</c> truncates to whole milliseconds (and skips anything
/// shorter than one), so a replay at 10× speed would lose its sub-millisecond gaps and a fake clock would never see them.
/// </summary>
internal static class ExactDelay
{
    public static Task WaitAsync(TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        return WaitCoreAsync(time, delay, cancellationToken);
    }

    private static async Task WaitCoreAsync(TimeProvider time, TimeSpan delay, CancellationToken cancellationToken)
    {
        var elapsed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using ITimer timer = time.CreateTimer(static state => ((TaskCompletionSource)state!).TrySetResult(), elapsed, delay, Timeout.InfiniteTimeSpan);
        await elapsed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
