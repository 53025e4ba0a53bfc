namespace StreamingCodeGeneration.Testing.Tests.Infrastructure;

/// <summary>Bounds an await that should complete, so a broken test fails instead of hanging. Not a timing assertion.</summary>
public static class Bounded
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    public static Task<T> Soon<T>(this Task<T> task) => task.WaitAsync(Limit);

    public static Task Soon(this Task task) => task.WaitAsync(Limit);
}
