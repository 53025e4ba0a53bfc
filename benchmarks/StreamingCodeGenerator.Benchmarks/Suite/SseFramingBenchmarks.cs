using BenchmarkDotNet.Attributes;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>SSE bytes → events: SseParser framing alone, with our event parser, and with the event-size bound, per event.</summary>
[MemoryDiagnoser]
public class SseFramingBenchmarks
{
    private readonly StageInput _input = StageInput.Instance;

    [Benchmark(Baseline = true, OperationsPerInvoke = StageInput.Events, Description = "SseParser framing, trivial item parser")]
    public Task<int> FramingAlone() =>
        _input.FrameAsync(new MemoryStream(_input.Bytes), static (_, data) => data.Length, static n => n);

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "SseParser + ChatStreamEventParser")]
    public Task<int> FramingAndParse() =>
        _input.FrameAsync(new MemoryStream(_input.Bytes), StageInput.WarmParser().Parse, static e => e.Content?.Length ?? 0);

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "SseParser + ChatStreamEventParser + BoundedEventStream")]
    public Task<int> FramingParseAndBound()
    {
        var bounded = new BoundedEventStream(new MemoryStream(_input.Bytes), 4 << 20);
        ChatStreamEventParser parser = StageInput.WarmParser();
        return _input.FrameAsync(
            bounded,
            (type, data) =>
            {
                bounded.EventDispatched();
                return parser.Parse(type, data);
            },
            static e => e.Content?.Length ?? 0);
    }
}
