using BenchmarkDotNet.Attributes;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>Stats: <c>StreamStatsTracker</c> as the sink drives it, an update and a delivery per event.</summary>
[MemoryDiagnoser]
public class StatsTrackerBenchmarks
{
    private readonly StageInput _input = StageInput.Instance;

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "StreamStatsTracker OnUpdate + OnDelivered, per event")]
    public int Track()
    {
        var stats = new StreamStatsTracker(TimeProvider.System);
        stats.Start();
        int tokens = 0;
        foreach (ChatUpdate update in _input.Updates)
        {
            stats.OnUpdate(update);
            stats.OnDelivered(update.Text?.Length ?? 0, ++tokens);
        }

        return stats.Snapshot().CharacterCount;
    }

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "StreamStatsTracker.Snapshot, per call")]
    public int Snapshot()
    {
        var stats = new StreamStatsTracker(TimeProvider.System);
        stats.Start();
        int n = 0;
        for (int i = 0; i < StageInput.Events; i++)
        {
            n += stats.Snapshot().CharacterCount;
        }

        return n;
    }
}
