namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Row 1: the library against the raw OpenAI SDK on one loopback stream (see <see cref="StreamingThroughput"/>): server
/// chunks per second and bytes allocated per chunk, medians of interleaved rounds. Every round's text must be exact.
/// </summary>
internal static class ThroughputComparison
{
    private const double AimRatio = 2.0;
    private const double AimBytesPerChunk = 150;

    public static async Task<RowResult> RunAsync(CompareSettings settings)
    {
        var row = new RowResult(1, "Streaming throughput");
        StreamingThroughput.Result sdk, library;
        try
        {
            (sdk, library) = await StreamingThroughput.MeasureAsync(settings.ThroughputEvents, settings.ThroughputRounds);
        }
        catch (InvalidOperationException ex)
        {
            return row.Fail(ex.Message);
        }

        const string Peer = "raw OpenAI SDK";
        double ratio = library.MedianEventsPerSecond / sdk.MedianEventsPerSecond;
        double bestRatio = library.BestEventsPerSecond / sdk.BestEventsPerSecond;
        row.Lines.Add(new ComparisonLine(
            $"Streaming throughput, server chunks/s: one {Format.Count(settings.ThroughputEvents)}-chunk loopback stream, median of {settings.ThroughputRounds} interleaved rounds (best-round ratio {Format.Times(bestRatio)})",
            new Figure(Format.Count(library.MedianEventsPerSecond), library.MedianEventsPerSecond, "chunks/s"),
            new Figure(Format.Count(sdk.MedianEventsPerSecond), sdk.MedianEventsPerSecond, "chunks/s", Peer),
            Format.Faster(ratio),
            ratio,
            new Aim($"≥ {AimRatio:0.0}×", ratio >= AimRatio)));
        double bytesRatio = library.MedianBytesPerEvent / sdk.MedianBytesPerEvent;
        row.Lines.Add(new ComparisonLine(
            "Bytes allocated per chunk (median round; stats, live token count and code segmentation on)",
            new Figure(Format.Count(library.MedianBytesPerEvent) + " B", library.MedianBytesPerEvent, "B/chunk"),
            new Figure(Format.Count(sdk.MedianBytesPerEvent) + " B", sdk.MedianBytesPerEvent, "B/chunk", Peer),
            Format.Times(bytesRatio) + " the bytes",
            bytesRatio,
            new Aim($"≤ {AimBytesPerChunk:0} B", library.MedianBytesPerEvent <= AimBytesPerChunk)));
        row.Details["events"] = settings.ThroughputEvents;
        row.Details["rounds"] = settings.ThroughputRounds;
        row.Details["sdk"] = sdk;
        row.Details["library"] = library;
        row.Notes.Add("Throughput: both read the same pre-rendered 4-character-delta OpenAI stream from a raw-socket loopback server in one process; the SDK side is CompleteChatStreamingAsync appending each ContentUpdate, ours is GenerateAsync appending chunk.Text; every round's text is checked exact.");
        return row;
    }
}
