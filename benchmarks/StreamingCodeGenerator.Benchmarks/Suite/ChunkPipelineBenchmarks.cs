using BenchmarkDotNet.Attributes;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>Deltas → chunks: code segmentation and chunking (<c>ChunkPipeline</c>), per delta.</summary>
[MemoryDiagnoser]
public class ChunkPipelineBenchmarks
{
    private readonly StageInput _input = StageInput.Instance;

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "ChunkPipeline, Delta granularity, per delta")]
    public int Delta() => Run(ChunkGranularity.Delta);

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "ChunkPipeline, Line granularity, per delta")]
    public int Line() => Run(ChunkGranularity.Line);

    private int Run(ChunkGranularity granularity)
    {
        var pipeline = new ChunkPipeline(granularity, 0, TimeSpan.Zero);
        int n = 0;
        foreach (string delta in _input.Deltas)
        {
            pipeline.PushText(delta, TimeSpan.Zero);
            while (pipeline.TryTake(TimeSpan.Zero, false, out Chunk? chunk))
            {
                n += chunk.Text.Length;
            }
        }

        pipeline.Complete(TimeSpan.Zero);
        while (pipeline.TryTake(TimeSpan.Zero, true, out Chunk? chunk))
        {
            n += chunk.Text.Length;
        }

        return n;
    }
}
