using BenchmarkDotNet.Attributes;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>The live token count: <c>IncrementalTokenCounter.Append</c> per delta, exact after every one.</summary>
[MemoryDiagnoser]
public class TokenCounterBenchmarks
{
    private readonly StageInput _input = StageInput.Instance;
    private Tokenizer _o200k = null!;
    private Tokenizer _cl100k = null!;

    [GlobalSetup]
    public void Load()
    {
        _o200k = Tokenizer.Get(TokenizerEncoding.O200kBase);
        _cl100k = Tokenizer.Get(TokenizerEncoding.Cl100kBase);
    }

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "IncrementalTokenCounter o200k_base, per delta")]
    public int O200k() => Count(_o200k);

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "IncrementalTokenCounter cl100k_base, per delta")]
    public int Cl100k() => Count(_cl100k);

    private int Count(Tokenizer tokenizer)
    {
        var counter = new IncrementalTokenCounter(tokenizer);
        foreach (string delta in _input.Deltas)
        {
            counter.Append(delta);
        }

        return counter.Count;
    }
}
