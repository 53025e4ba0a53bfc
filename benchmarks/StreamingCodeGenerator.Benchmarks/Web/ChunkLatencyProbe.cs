using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Our per-chunk latency client (wrk cannot time chunks within a response): N concurrent streaming requests, their
/// starts spread evenly over one chunk interval (or a ramp given) so the streams are not in phase, each read with
/// <see cref="SseParser"/>; every stamped chunk that arrives gives one latency, upstream send to arrival here. Its own
/// overhead is measured by pointing it at the upstream directly: that run is the floor every proxy is compared with.
/// </summary>
internal static class ChunkLatencyProbe
{
    public const string RequestBody = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Write a bubble sort in C#\"}]}";

    /// <summary>What the probe saw.</summary>
    /// <param name="Streams">Streams started.</param>
    /// <param name="FailedStreams">Streams that failed or whose text was not exact.</param>
    /// <param name="LatenciesMs">Every chunk's latency, upstream send to arrival here, sorted.</param>
    /// <param name="FirstChunkMs">Each stream's time from sending the request to its first chunk, sorted.</param>
    /// <param name="Failures">The first few distinct failures.</param>
    /// <param name="Seconds">From the first request to the last stream's end.</param>
    public sealed record Result(int Streams, int FailedStreams, double[] LatenciesMs, double[] FirstChunkMs, IReadOnlyList<string> Failures, double Seconds);

    /// <param name="spread">Over how long the streams' starts are spread evenly; one chunk interval when null.</param>
    public static async Task<Result> RunAsync(Uri chatCompletions, int clients, int chunks, int chunksPerSecond, TimeSpan? spread = null)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromMinutes(5) };
        TimeSpan over = spread ?? TimeSpan.FromSeconds(1.0 / chunksPerSecond);
        long start = Stopwatch.GetTimestamp();
        var streams = new Task<(List<double> Latencies, double FirstChunk, string? Failure)>[clients];
        for (int i = 0; i < clients; i++)
        {
            TimeSpan delay = over * i / clients;
            streams[i] = StreamAsync(http, chatCompletions, chunks, delay);
        }

        (List<double> Latencies, double FirstChunk, string? Failure)[] results = await Task.WhenAll(streams);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        List<string> failures = results.Where(r => r.Failure is not null).Select(r => r.Failure!).ToList();
        double[] latencies = Percentiles.Sorted(results.SelectMany(r => r.Latencies));
        double[] firstChunk = Percentiles.Sorted(results.Where(r => !double.IsNaN(r.FirstChunk)).Select(r => r.FirstChunk));
        return new Result(clients, failures.Count, latencies, firstChunk, failures.Distinct().Take(5).ToList(), seconds);
    }

    private static async Task<(List<double>, double, string?)> StreamAsync(HttpClient http, Uri uri, int chunks, TimeSpan delay)
    {
        var latencies = new List<double>(chunks);
        var stamps = new Stamp.Reader();
        double firstChunk = double.NaN;
        try
        {
            await Task.Delay(delay);
            long sent = Stopwatch.GetTimestamp();
            using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(RequestBody, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                return (latencies, firstChunk, $"HTTP {(int)response.StatusCode}");
            }

            await using Stream stream = await response.Content.ReadAsStreamAsync();
            bool done = false;
            await foreach (SseItem<string?> item in SseParser.Create(stream, static (_, data) => DeltaContent(data)).EnumerateAsync())
            {
                long arrived = Stopwatch.GetTimestamp();
                if (item.Data == "[DONE]")
                {
                    done = true;
                }
                else if (item.Data is { Length: > 0 } text)
                {
                    if (double.IsNaN(firstChunk))
                    {
                        firstChunk = Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds;
                    }

                    stamps.Append(text, arrived, latencies);
                }
            }

            return (latencies, firstChunk, stamps.Finish(chunks) ?? (done ? null : "no [DONE]"));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or JsonException)
        {
            return (latencies, firstChunk, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary><c>choices[0].delta.content</c> of one event; <c>"[DONE]"</c> for the sentinel; null otherwise.</summary>
    private static string? DeltaContent(ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return "[DONE]";
        }

        var reader = new Utf8JsonReader(data);
        int deltaDepth = -1;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == deltaDepth)
                {
                    deltaDepth = -1;
                }

                continue;
            }

            if (reader.ValueTextEquals("delta"u8))
            {
                deltaDepth = reader.CurrentDepth;
            }
            else if (deltaDepth >= 0 && reader.CurrentDepth == deltaDepth + 1 && reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }

        return null;
    }
}
