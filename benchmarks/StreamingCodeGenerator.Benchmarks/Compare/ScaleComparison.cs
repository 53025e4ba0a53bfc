using System.ClientModel;
using System.Diagnostics;
using OpenAI;
using OpenAI.Chat;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Row 4: scale. N concurrent streams through one generator against the loopback server, and N raw SDK streams through
/// one <see cref="ChatClient"/> on the same server, in the same process one side at a time (a full compacting GC before
/// each, order alternating across rounds): total chunks/s, and the peak managed heap and working set above what the
/// idle process held. Every text must be exact.
/// </summary>
internal static class ScaleComparison
{
    private sealed record Side(double ChunksPerSecond, double Seconds, long IdleWorkingSet, long PeakWorkingSet, long IdleManaged, long PeakManaged, int Gen0, int Gen1, int Gen2, int Wrong)
    {
        public long WorkingSetGrowth => PeakWorkingSet - IdleWorkingSet;

        public long ManagedGrowth => PeakManaged - IdleManaged;
    }

    public static async Task<RowResult> RunAsync(CompareSettings settings)
    {
        var row = new RowResult(4, "Scale");
        int streams = settings.ScaleStreams, events = settings.ScaleEvents;
        string body = LoopbackSseServer.Body(StreamingThroughput.Answer, events, deltaLength: 4);
        string expected = StreamingThroughput.ExpectedText(body);
        await using var server = new LoopbackSseServer(body);
        var sdkClient = new ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-bench"), new OpenAIClientOptions { Endpoint = server.Endpoint });
        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = server.Endpoint, ApiKey = "sk-bench", Model = "gpt-4o-mini" });
        Func<Task<string>> sdk = () => StreamingThroughput.RunSdkAsync(sdkClient);
        Func<Task<string>> library = () => StreamingThroughput.RunLibraryAsync(generator);

        // Warm both up at full concurrency: JIT and tiering, and a pool of N open connections each, so that no measured
        // round pays for opening a thousand connections and the rounds measure streaming.
        // Twice: tiered compilation with PGO takes more than one pass to reach its final code.
        for (int i = 0; i < 2; i++)
        {
            await MeasureAsync(streams, events, sdk, expected);
            await MeasureAsync(streams, events, library, expected);
        }

        var sdkSides = new List<Side>();
        var librarySides = new List<Side>();
        for (int round = 0; round < settings.ScaleRounds; round++)
        {
            Console.Error.WriteLine($"  round {round + 1} of {settings.ScaleRounds}: {streams} streams each side");
            if (round % 2 == 0)
            {
                sdkSides.Add(await MeasureAsync(streams, events, sdk, expected));
                librarySides.Add(await MeasureAsync(streams, events, library, expected));
            }
            else
            {
                librarySides.Add(await MeasureAsync(streams, events, library, expected));
                sdkSides.Add(await MeasureAsync(streams, events, sdk, expected));
            }
        }

        int sdkWrong = sdkSides.Sum(s => s.Wrong), libraryWrong = librarySides.Sum(s => s.Wrong);
        if (libraryWrong > 0)
        {
            row.Fail($"{libraryWrong} of {streams * settings.ScaleRounds} library streams did not receive the exact text.");
        }

        if (sdkWrong > 0)
        {
            row.Fail($"{sdkWrong} of {streams * settings.ScaleRounds} raw SDK streams did not receive the exact text.");
        }

        const string Peer = "raw OpenAI SDK";
        double oursRate = Median(librarySides, s => s.ChunksPerSecond), sdkRate = Median(sdkSides, s => s.ChunksPerSecond);
        row.Lines.Add(new ComparisonLine(
            $"{Format.Count(streams)} concurrent streams × {Format.Count(events)} chunks, one generator vs one ChatClient: total chunks/s (median of {settings.ScaleRounds} rounds), all texts exact",
            new Figure(Format.Count(oursRate), oursRate, "chunks/s"),
            new Figure(Format.Count(sdkRate), sdkRate, "chunks/s", Peer),
            Format.Faster(oursRate / sdkRate),
            oursRate / sdkRate));
        double oursManaged = Median(librarySides, s => s.ManagedGrowth), sdkManaged = Median(sdkSides, s => s.ManagedGrowth);
        row.Lines.Add(new ComparisonLine(
            $"{Format.Count(streams)} concurrent streams: peak managed heap above the idle process",
            new Figure(Format.Megabytes(oursManaged), oursManaged, "bytes"),
            new Figure(Format.Megabytes(sdkManaged), sdkManaged, "bytes", Peer),
            Format.Times(oursManaged / sdkManaged) + " the memory",
            oursManaged / sdkManaged));
        double oursWorkingSet = Median(librarySides, s => s.WorkingSetGrowth), sdkWorkingSet = Median(sdkSides, s => s.WorkingSetGrowth);
        row.Lines.Add(new ComparisonLine(
            $"{Format.Count(streams)} concurrent streams: peak working set above the idle process (idle: {Format.Megabytes(Median(librarySides, s => s.IdleWorkingSet))})",
            new Figure(Format.Megabytes(oursWorkingSet), oursWorkingSet, "bytes"),
            new Figure(Format.Megabytes(sdkWorkingSet), sdkWorkingSet, "bytes", Peer),
            Format.Times(oursWorkingSet / sdkWorkingSet) + " the memory",
            oursWorkingSet / sdkWorkingSet));
        row.Details["streams"] = streams;
        row.Details["chunksPerStream"] = events;
        row.Details["rounds"] = settings.ScaleRounds;
        row.Details["sdk"] = sdkSides;
        row.Details["library"] = librarySides;
        row.Notes.Add("Scale: one process, one loopback server, one side at a time after a full compacting GC (order alternating by round); memory is sampled every 5 ms (Process.WorkingSet64, GC.GetTotalMemory) and reported above the idle process's level, since both sides share the runtime, the server and the tokenizer tables.");
        return row;
    }

    private static async Task<Side> MeasureAsync(int streams, int events, Func<Task<string>> run, string expected)
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
        using MemorySampler memory = MemorySampler.ForThisProcess(TimeSpan.FromMilliseconds(5));
        long start = Stopwatch.GetTimestamp();
        var tasks = new Task<string>[streams];
        for (int i = 0; i < streams; i++)
        {
            tasks[i] = run();
        }

        string[] texts = await Task.WhenAll(tasks);
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        memory.Stop();
        int wrong = texts.Count(t => !string.Equals(t, expected, StringComparison.Ordinal));
        return new Side(
            (double)streams * events / elapsed.TotalSeconds,
            elapsed.TotalSeconds,
            memory.IdleWorkingSet,
            memory.PeakWorkingSet,
            memory.IdleManaged,
            memory.PeakManaged,
            GC.CollectionCount(0) - gen0,
            GC.CollectionCount(1) - gen1,
            GC.CollectionCount(2) - gen2,
            wrong);
    }

    private static double Median(List<Side> sides, Func<Side, double> figure) => Percentiles.Median(Percentiles.Sorted(sides.Select(figure)));
}
