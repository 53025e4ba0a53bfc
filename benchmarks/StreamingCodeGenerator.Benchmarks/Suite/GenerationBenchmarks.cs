using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// The whole path above the transport, per event: parsed updates replayed from memory through <c>GeneratorCore</c>
/// (timed attempt, resilience, answer text, chunk pipeline, live token count, stats) out of a
/// <see cref="CodeGenerationStream"/>. With the parser benchmarks, the whole SSE event → <see cref="Chunk"/> cost.
/// </summary>
[MemoryDiagnoser]
public class GenerationBenchmarks
{
    private readonly StageInput _input = StageInput.Instance;
    private GeneratorCore _core = null!;
    private StreamingCodeGeneratorOptions _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), Model = "gpt-4o-mini" };
        _core = new GeneratorCore(new ReplaySource(_input.Updates), _options, _options.Endpoint, NullLogger.Instance, TimeProvider.System, StageInput.Redactor);
    }

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "CodeGenerationStream over replayed updates, per event")]
    public async Task<int> Generate()
    {
        var stream = new CodeGenerationStream(_core, PreparedRequest.Create(new CodeGenerationRequest("x"), _options, _core.Endpoint), CancellationToken.None);
        int n = 0;
        await foreach (Chunk chunk in stream)
        {
            n += chunk.Text.Length;
        }

        return n;
    }
}
