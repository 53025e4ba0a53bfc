namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>Waits for a condition another thread makes true (not for an amount of time); fails after a generous limit.</summary>
public static class TestWait
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var limit = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (limit.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException("Gave up waiting until " + what);
            }

            await Task.Yield();
            await Task.Delay(1);
        }
    }

    /// <summary>Bounds an await that should complete, so a broken test fails instead of hanging.</summary>
    public static Task<T> Soon<T>(this Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(20));

    public static Task Soon(this Task task) => task.WaitAsync(TimeSpan.FromSeconds(20));
}
