using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Streaming throughput, side by side in one process: the same loopback server sends the same N-event OpenAI stream
/// to (a) the raw OpenAI SDK loop — <c>CompleteChatStreamingAsync</c>, appending each <c>ContentUpdate</c> text to a
/// <see cref="StringBuilder"/> — and (b) <c>GenerateAsync</c> with stats, exact live token count and code
/// segmentation on, appending <c>chunk.Text</c>. Rounds alternate (and which side goes first alternates by round); best
/// and median chunks/s and allocated bytes per event are reported for each, with the ratio.
/// </summary>
internal static class StreamingThroughput
{
    internal const string Answer =
        "Here is a bubble sort in C#:\n\n```csharp\npublic static void BubbleSort(int[] items)\n{\n" +
        "    for (int end = items.Length - 1; end > 0; end--)\n    {\n        bool swapped = false;\n" +
        "        for (int i = 0; i < end; i++)\n        {\n            if (items[i] > items[i + 1])\n            {\n" +
        "                (items[i], items[i + 1]) = (items[i + 1], items[i]);\n                swapped = true;\n            }\n        }\n\n" +
        "        if (!swapped)\n        {\n            break;\n        }\n    }\n}\n```\n\n" +
        "Each pass bubbles the largest remaining item to the end; the loop stops early once a pass makes no swap, " +
        "so an already sorted array costs one pass (O(n)); the worst case is O(n²).\n\n";

    public sealed record Result(string Name, double BestEventsPerSecond, double MedianEventsPerSecond, double BestBytesPerEvent, double MedianBytesPerEvent);

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        int events = 100_000, rounds = 7;
        string? jsonOut = null, only = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args.Span[i])
            {
                case "--events":
                    events = int.Parse(args.Span[++i], CultureInfo.InvariantCulture);
                    break;
                case "--rounds":
                    rounds = int.Parse(args.Span[++i], CultureInfo.InvariantCulture);
                    break;
                case "--json":
                    jsonOut = args.Span[++i];
                    break;
                case "--only":
                    only = args.Span[++i];
                    break;
                default:
                    Console.Error.WriteLine($"unknown argument '{args.Span[i]}'");
                    return 2;
            }
        }

        if (only is not null)
        {
            // For a profiler: run one side only, many times, and print its rate.
            Result alone = await MeasureOneAsync(only, events, rounds);
            Console.WriteLine($"{alone.Name}: best {alone.BestEventsPerSecond:N0} events/s, {alone.BestBytesPerEvent:N0} B/event");
            return 0;
        }

        (Result sdk, Result library) = await MeasureAsync(events, rounds);
        Console.WriteLine(Table(events, rounds, sdk, library));
        if (jsonOut is not null)
        {
            await File.WriteAllTextAsync(jsonOut, JsonSerializer.Serialize(new { events, rounds, sdk, library }, new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    public static async Task<(Result Sdk, Result Library)> MeasureAsync(int events, int rounds)
    {
        string body = LoopbackSseServer.Body(Answer, events, deltaLength: 4);
        string expected = ExpectedText(body);
        await using var server = new LoopbackSseServer(body);

        var sdkClient = new ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-bench"), new OpenAIClientOptions { Endpoint = server.Endpoint });
        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = server.Endpoint, ApiKey = "sk-bench", Model = "gpt-4o-mini" });

        // Warm both paths up (JIT, tiering, connection pools) before measuring.
        for (int i = 0; i < 3; i++)
        {
            Check(await RunSdkAsync(sdkClient), expected, "raw SDK");
            Check(await RunLibraryAsync(generator), expected, "library");
        }

        var sdk = new List<(double Rate, double Bytes)>();
        var library = new List<(double Rate, double Bytes)>();
        for (int round = 0; round < rounds; round++)
        {
            // Alternate which side goes first, so neither always inherits the other's garbage or a quiet moment.
            if (round % 2 == 0)
            {
                sdk.Add(await MeasureOnceAsync(() => RunSdkAsync(sdkClient), events, expected));
                library.Add(await MeasureOnceAsync(() => RunLibraryAsync(generator), events, expected));
            }
            else
            {
                library.Add(await MeasureOnceAsync(() => RunLibraryAsync(generator), events, expected));
                sdk.Add(await MeasureOnceAsync(() => RunSdkAsync(sdkClient), events, expected));
            }
        }

        return (Summarize("raw OpenAI SDK (CompleteChatStreamingAsync)", sdk), Summarize("StreamingCodeGenerator (GenerateAsync)", library));
    }

    private static async Task<Result> MeasureOneAsync(string which, int events, int rounds)
    {
        string body = LoopbackSseServer.Body(Answer, events, deltaLength: 4);
        string expected = ExpectedText(body);
        await using var server = new LoopbackSseServer(body);
        var sdkClient = new ChatClient("gpt-4o-mini", new ApiKeyCredential("sk-bench"), new OpenAIClientOptions { Endpoint = server.Endpoint });
        var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { Endpoint = server.Endpoint, ApiKey = "sk-bench", Model = "gpt-4o-mini" });
        Func<Task<string>> run = which == "sdk" ? () => RunSdkAsync(sdkClient) : () => RunLibraryAsync(generator);
        var runs = new List<(double Rate, double Bytes)>();
        for (int i = 0; i < rounds; i++)
        {
            runs.Add(await MeasureOnceAsync(run, events, expected));
        }

        return Summarize(which, runs);
    }

    internal static async Task<string> RunSdkAsync(ChatClient client)
    {
        var text = new StringBuilder();
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync([new UserChatMessage("Write a bubble sort")]))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        return text.ToString();
    }

    internal static async Task<string> RunLibraryAsync(StreamingCodeGenerator generator)
    {
        var text = new StringBuilder();
        CodeGenerationStream stream = generator.GenerateAsync("Write a bubble sort");
        await foreach (Chunk chunk in stream)
        {
            text.Append(chunk.Text);
        }

        if (stream.Stats.TokenCount == 0)
        {
            throw new InvalidOperationException("The library counted no tokens.");
        }

        return text.ToString();
    }

    private static async Task<(double Rate, double Bytes)> MeasureOnceAsync(Func<Task<string>> run, int events, string expected)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long start = Stopwatch.GetTimestamp();
        string text = await run();
        TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Check(text, expected, "measured run");
        return (events / elapsed.TotalSeconds, (double)allocated / events);
    }

    private static void Check(string text, string expected, string what)
    {
        if (!string.Equals(text, expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The {what} received {text.Length} characters, not the {expected.Length} sent.");
        }
    }

    internal static string ExpectedText(string body)
    {
        var text = new StringBuilder();
        foreach (string line in body.Split('\n'))
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            using JsonDocument document = JsonDocument.Parse(line.AsMemory(6));
            foreach (JsonElement choice in document.RootElement.GetProperty("choices").EnumerateArray())
            {
                if (choice.GetProperty("delta").TryGetProperty("content", out JsonElement content) && content.ValueKind == JsonValueKind.String)
                {
                    text.Append(content.GetString());
                }
            }
        }

        return text.ToString();
    }

    private static Result Summarize(string name, List<(double Rate, double Bytes)> runs)
    {
        double[] rates = runs.Select(r => r.Rate).Order().ToArray();
        double[] bytes = runs.Select(r => r.Bytes).Order().ToArray();
        return new Result(name, rates[^1], rates[rates.Length / 2], bytes[0], bytes[bytes.Length / 2]);
    }

    public static string Table(int events, int rounds, Result sdk, Result library)
    {
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"Streaming throughput: {events:N0} events of one OpenAI stream from a loopback server, {rounds} interleaved rounds ({Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version})");
        table.AppendLine();
        table.AppendLine("| Reader | Best events/s | Median events/s | B/event (best) | B/event (median) |");
        table.AppendLine("|---|---:|---:|---:|---:|");
        foreach (Result r in new[] { sdk, library })
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"| {r.Name} | {r.BestEventsPerSecond:N0} | {r.MedianEventsPerSecond:N0} | {r.BestBytesPerEvent:N0} | {r.MedianBytesPerEvent:N0} |");
        }

        table.AppendLine(CultureInfo.InvariantCulture, $"| **ratio (library / SDK)** | **{library.BestEventsPerSecond / sdk.BestEventsPerSecond:0.00}x** | **{library.MedianEventsPerSecond / sdk.MedianEventsPerSecond:0.00}x** | {library.BestBytesPerEvent / sdk.BestBytesPerEvent:0.00}x | {library.MedianBytesPerEvent / sdk.MedianBytesPerEvent:0.00}x |");
        return table.ToString();
    }
}
