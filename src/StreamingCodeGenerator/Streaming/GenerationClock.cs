namespace StreamingCodeGeneration;

/// <summary>
/// When one generation started and how long it may take: an immutable value made at its start, from which every stage
/// reads the elapsed time (chunk arrival times) and the time left (whether a server's <c>Retry-After</c> still fits).
/// </summary>
internal readonly struct GenerationClock
{
    public GenerationClock(TimeProvider timeProvider, long startTimestamp, TimeSpan totalTimeout)
    {
        TimeProvider = timeProvider;
        StartTimestamp = startTimestamp;
        TotalTimeout = totalTimeout;
    }

    /// <summary>The clock every timer and delay of the generation uses.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The timestamp of the start (the total timeout counts from here).</summary>
    public long StartTimestamp { get; }

    /// <summary>The limit on the whole generation.</summary>
    public TimeSpan TotalTimeout { get; }

    /// <summary>The time since the start.</summary>
    public TimeSpan Elapsed => TimeProvider.GetElapsedTime(StartTimestamp);

    /// <summary>The time left before the total timeout; <see cref="TimeSpan.MaxValue"/> when it is not enforced.</summary>
    public TimeSpan RemainingTime => StreamingCodeGeneratorOptions.IsEnforced(TotalTimeout) ? TotalTimeout - Elapsed : TimeSpan.MaxValue;

    /// <summary>Starts a generation now.</summary>
    public static GenerationClock Start(TimeProvider timeProvider, TimeSpan totalTimeout) =>
        new(timeProvider, timeProvider.GetTimestamp(), totalTimeout);

    /// <summary>The time from the start to <paramref name="timestamp"/> (no clock read).</summary>
    public TimeSpan ElapsedAt(long timestamp) => TimeProvider.GetElapsedTime(StartTimestamp, timestamp);
}
