namespace StreamingCodeGeneration.Benchmarks;

/// <summary>The sizes of each row: the full comparison, or the smoke run's tiny ones that only prove the harness works.</summary>
internal sealed record CompareSettings(
    bool Smoke,
    int ThroughputEvents,
    int ThroughputRounds,
    int FirstChunkPairs,
    double TokenizerMegabytes,
    int TokenizerRounds,
    int TokenizerIterations,
    int TokenizerWorstLength,
    int TokenizerIncrementalLength,
    bool TokenizerColdPeers,
    int ScaleStreams,
    int ScaleEvents,
    int ScaleRounds,
    int WebClients,
    int WebChunks,
    int WebChunksPerSecond,
    int WrkSeconds,
    int SlowStreams,
    int SlowChunks,
    int SlowChunksPerSecond,
    double SlowRampSeconds)
{
    /// <summary>
    /// The sizes: 100,000-event streams, 1,000 request pairs, a 6 MB corpus (the .NET tokenizers each cold in a
    /// process of its own), 1,000 streams, 500 web clients, 5,000 slow streams (20 chunks at 2 chunks/s, started over 5 s).
    /// </summary>
    public static CompareSettings Full { get; } = new(
        Smoke: false,
        ThroughputEvents: 100_000,
        ThroughputRounds: 9,
        FirstChunkPairs: 1_000,
        TokenizerMegabytes: 6,
        TokenizerRounds: 3,
        TokenizerIterations: 3,
        TokenizerWorstLength: 100_000,
        TokenizerIncrementalLength: 32_000,
        TokenizerColdPeers: true,
        ScaleStreams: 1_000,
        ScaleEvents: 500,
        ScaleRounds: 5,
        WebClients: 500,
        WebChunks: 100,
        WebChunksPerSecond: 50,
        WrkSeconds: 10,
        SlowStreams: 5_000,
        SlowChunks: 20,
        SlowChunksPerSecond: 2,
        SlowRampSeconds: 5);

    /// <summary>Every row tiny: seconds in all, every correctness check still made (the .NET tokenizers share one process per encoding).</summary>
    public static CompareSettings SmokeSizes { get; } = new(
        Smoke: true,
        ThroughputEvents: 2_000,
        ThroughputRounds: 1,
        FirstChunkPairs: 20,
        TokenizerMegabytes: 0.2,
        TokenizerRounds: 1,
        TokenizerIterations: 1,
        TokenizerWorstLength: 2_000,
        TokenizerIncrementalLength: 1_000,
        TokenizerColdPeers: false,
        ScaleStreams: 10,
        ScaleEvents: 20,
        ScaleRounds: 1,
        WebClients: 10,
        WebChunks: 10,
        WebChunksPerSecond: 100,
        WrkSeconds: 1,
        SlowStreams: 20,
        SlowChunks: 4,
        SlowChunksPerSecond: 20,
        SlowRampSeconds: 0.1);
}
