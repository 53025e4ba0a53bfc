using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Row 2: time to first chunk. Request pairs against one loopback server that answers a short stream: the raw side is
/// an <see cref="HttpClient"/> POST of the same request body read with <see cref="SseParser"/> up to the first event
/// carrying content; ours is <c>GenerateAsync</c> up to its first <see cref="Chunk"/>. Both read their stream to the
/// end afterwards (so connections are reused, as in real use) and check the text exact. The order alternates within
/// pairs; the figure is the median and p99 of ours minus raw, per pair.
/// </summary>
internal static class FirstChunkLatency
{
    private const double AimAddedMedianMs = 1.0;
    private const int Events = 16;

    public static async Task<RowResult> RunAsync(CompareSettings settings)
    {
        var row = new RowResult(2, "Time to first chunk");
        string body = LoopbackSseServer.Body(StreamingThroughput.Answer, Events, deltaLength: 4);
        string expected = StreamingThroughput.ExpectedText(body);
        await using var server = new LoopbackSseServer(body);
        var uri = new Uri(server.Endpoint, "chat/completions");
        var options = new StreamingCodeGeneratorOptions { Endpoint = server.Endpoint, ApiKey = "sk-bench", Model = "gpt-4o-mini" };
        var generator = new StreamingCodeGenerator(options);
        const string Prompt = "Write a bubble sort";

        // The raw side sends the very bytes the library sends, through a handler configured like the library's.
        byte[] request = ChatRequestWriter.Write(ChatAttempt.First(PreparedRequest.Create(new CodeGenerationRequest(Prompt), options, server.Endpoint), includeUsage: true)).ToArray();
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = Timeout.InfiniteTimeSpan };

        for (int i = 0; i < Math.Max(20, settings.FirstChunkPairs / 10); i++)
        {
            await RawAsync(http, uri, request, expected);
            await LibraryAsync(generator, Prompt, expected);
        }

        int pairs = settings.FirstChunkPairs;
        var raw = new double[pairs];
        var ours = new double[pairs];
        var added = new double[pairs];
        for (int i = 0; i < pairs; i++)
        {
            if (i % 2 == 0)
            {
                raw[i] = await RawAsync(http, uri, request, expected);
                ours[i] = await LibraryAsync(generator, Prompt, expected);
            }
            else
            {
                ours[i] = await LibraryAsync(generator, Prompt, expected);
                raw[i] = await RawAsync(http, uri, request, expected);
            }

            added[i] = ours[i] - raw[i];
        }

        Array.Sort(raw);
        Array.Sort(ours);
        Array.Sort(added);
        double addedMedian = Percentiles.Median(added), addedP99 = Percentiles.Of(added, 99);
        const string Peer = "raw HttpClient + SseParser";
        row.Lines.Add(new ComparisonLine(
            $"Time to first chunk, median of {Format.Count(pairs)} interleaved request pairs (loopback; ours minus raw per pair)",
            new Figure(Format.Milliseconds(Percentiles.Median(ours)), Percentiles.Median(ours), "ms"),
            new Figure(Format.Milliseconds(Percentiles.Median(raw)), Percentiles.Median(raw), "ms", Peer),
            Format.SignedMilliseconds(addedMedian),
            addedMedian,
            new Aim($"under {AimAddedMedianMs:0} ms added", addedMedian < AimAddedMedianMs)));
        row.Lines.Add(new ComparisonLine(
            "Time to first chunk, p99 of the same pairs",
            new Figure(Format.Milliseconds(Percentiles.Of(ours, 99)), Percentiles.Of(ours, 99), "ms"),
            new Figure(Format.Milliseconds(Percentiles.Of(raw, 99)), Percentiles.Of(raw, 99), "ms", Peer),
            Format.SignedMilliseconds(addedP99),
            addedP99));
        row.Details["pairs"] = pairs;
        row.Details["eventsPerStream"] = Events;
        row.Details["addedMs"] = new { p50 = addedMedian, p90 = Percentiles.Of(added, 90), p99 = addedP99, min = added[0], max = added[^1] };
        row.Details["oursMs"] = new { p50 = Percentiles.Median(ours), p99 = Percentiles.Of(ours, 99) };
        row.Details["rawMs"] = new { p50 = Percentiles.Median(raw), p99 = Percentiles.Of(raw, 99) };
        row.Notes.Add($"Time to first chunk: from the call to the first text (ours: GenerateAsync to its first Chunk; raw: HttpClient POST of the same request bytes, SseParser to the first event carrying content); both then read their {Events}-chunk stream to the end and check it exact, so pooled connections are reused. The p99 on a shared machine is mostly scheduling noise.");
        return row;
    }

    private static async Task<double> RawAsync(HttpClient http, Uri uri, byte[] body, string expected)
    {
        long start = Stopwatch.GetTimestamp();
        double first = double.NaN;
        var text = new StringBuilder();
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-bench");
        using HttpResponseMessage response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using Stream stream = await response.Content.ReadAsStreamAsync();
        await foreach (SseItem<string?> item in SseParser.Create(stream, static (_, data) => Content(data)).EnumerateAsync())
        {
            if (item.Data is { Length: > 0 } content)
            {
                if (double.IsNaN(first))
                {
                    first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }

                text.Append(content);
            }
        }

        Check(text.ToString(), expected, "raw HttpClient");
        return first;
    }

    private static async Task<double> LibraryAsync(StreamingCodeGenerator generator, string prompt, string expected)
    {
        long start = Stopwatch.GetTimestamp();
        double first = double.NaN;
        var text = new StringBuilder();
        await foreach (Chunk chunk in generator.GenerateAsync(prompt))
        {
            if (double.IsNaN(first))
            {
                first = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }

            text.Append(chunk.Text);
        }

        Check(text.ToString(), expected, "library");
        return first;
    }

    /// <summary><c>choices[0].delta.content</c> of one event, read as a minimal raw client would.</summary>
    private static string? Content(ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return null;
        }

        var reader = new Utf8JsonReader(data);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        return null;
    }

    private static void Check(string text, string expected, string who)
    {
        if (!string.Equals(text, expected, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The {who} side of the time-to-first-chunk row received {text.Length} characters, not the {expected.Length} sent.");
        }
    }
}
