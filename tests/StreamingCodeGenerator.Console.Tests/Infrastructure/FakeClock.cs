namespace StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

/// <summary>A clock that moves only when the test says so (for the status line's elapsed time and countdown).</summary>
public sealed class FakeClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan time) => Interlocked.Add(ref _ticks, time.Ticks);
}
