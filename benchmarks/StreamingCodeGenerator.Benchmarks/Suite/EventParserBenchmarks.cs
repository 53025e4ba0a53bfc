using BenchmarkDotNet.Attributes;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>One SSE event's data bytes → <c>ChatStreamEvent</c>: the JSON parser alone, per event.</summary>
[MemoryDiagnoser]
public class EventParserBenchmarks
{
    private readonly StageInput _input = StageInput.Instance;

    [Benchmark(OperationsPerInvoke = StageInput.Events, Description = "ChatStreamEventParser.Parse, per event")]
    public int Parse()
    {
        ChatStreamEventParser parser = StageInput.WarmParser();
        int n = 0;
        foreach (byte[] data in _input.EventData)
        {
            n += parser.Parse(string.Empty, data).Content?.Length ?? 0;
        }

        return n;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = StageInput.Events, Description = "Utf8JsonReader over the same bytes (the floor)")]
    public int ReaderFloor()
    {
        int n = 0;
        foreach (byte[] data in _input.EventData)
        {
            var reader = new System.Text.Json.Utf8JsonReader(data);
            while (reader.Read())
            {
                n++;
            }
        }

        return n;
    }
}
