using System.Diagnostics;
using System.Globalization;
using System.Net.ServerSentEvents;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Nanoseconds per event for each stage of the data path alone, in memory (no network), on the same stream the
/// throughput comparison sends: where the time of one event goes. Quick to run; for allocation-exact numbers per stage
/// use the BenchmarkDotNet suite.
/// </summary>
internal static class StageTimings
{
    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        int events = args.Length > 0 ? int.Parse(args.Span[0], CultureInfo.InvariantCulture) : 200_000;
        s_only = args.Length > 1 ? args.Span[1] : null;
        string body = LoopbackSseServer.Body(StreamingThroughput.Answer, events, deltaLength: 4);
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        var redactor = new SecretRedactor("sk-bench");

        List<ChatStreamEvent> parsed = [];
        await foreach (SseItem<ChatStreamEvent> item in SseParser.Create(new MemoryStream(bytes), new ChatStreamEventParser(redactor).Parse).EnumerateAsync())
        {
            parsed.Add(item.Data);
        }

        string[] deltas = parsed.Where(e => e.Content is not null).Select(e => e.Content!).ToArray();
        var updates = parsed.Where(e => !e.IsDone).Select(e => new ChatUpdate { Text = e.Content, FinishReason = e.FinishReason, Usage = e.Usage, ResponseId = e.Id, ModelId = e.Model }).ToArray();

        await MeasureAsync("SSE + JSON parse (SseParser over MemoryStream)", events, async () =>
        {
            int n = 0;
            await foreach (SseItem<ChatStreamEvent> item in SseParser.Create(new MemoryStream(bytes), Warm(redactor).Parse).EnumerateAsync())
            {
                n += item.Data.Content?.Length ?? 0;
            }

            return n;
        });
        await MeasureAsync("  SSE framing alone (trivial item parser)", events, async () =>
        {
            int n = 0;
            await foreach (SseItem<int> item in SseParser.Create(new MemoryStream(bytes), static (_, data) => data.Length).EnumerateAsync())
            {
                n += item.Data;
            }

            return n;
        });
        byte[][] datas = body.Split("\n\n").Where(l => l.StartsWith("data: {", StringComparison.Ordinal)).Select(l => Encoding.UTF8.GetBytes(l[6..])).ToArray();
        await MeasureAsync("  JSON parse alone (ChatStreamEventParser over event data)", events, () =>
        {
            ChatStreamEventParser parser = Warm(redactor);
            int n = 0;
            foreach (byte[] data in datas)
            {
                n += parser.Parse(string.Empty, data).Content?.Length ?? 0;
            }

            return Task.FromResult(n);
        });
        await MeasureAsync("  Utf8JsonReader tokens alone (the floor)", events, () =>
        {
            int n = 0;
            foreach (byte[] data in datas)
            {
                var reader = new System.Text.Json.Utf8JsonReader(data);
                while (reader.Read())
                {
                    n++;
                }
            }

            return Task.FromResult(n);
        });
        await MeasureAsync("  + BoundedEventStream", events, async () =>
        {
            int n = 0;
            var bounded = new BoundedEventStream(new MemoryStream(bytes), 4 << 20);
            ChatStreamEventParser parser = Warm(redactor);
            await foreach (SseItem<ChatStreamEvent> item in SseParser.Create(bounded, (type, data) =>
            {
                bounded.EventDispatched();
                return parser.Parse(type, data);
            }).EnumerateAsync())
            {
                n += item.Data.Content?.Length ?? 0;
            }

            return n;
        });
        await MeasureAsync("code segmentation (ChunkPipeline)", events, () =>
        {
            var pipeline = new ChunkPipeline(ChunkGranularity.Delta, 0, TimeSpan.Zero);
            int n = 0;
            foreach (string delta in deltas)
            {
                pipeline.PushText(delta, TimeSpan.Zero);
                while (pipeline.TryTake(TimeSpan.Zero, false, out Chunk? chunk))
                {
                    n += chunk.Text.Length;
                }
            }

            return Task.FromResult(n);
        });
        await MeasureAsync("live token count (IncrementalTokenCounter)", events, () =>
        {
            var counter = new IncrementalTokenCounter(Tokenizer.Get(TokenizerEncoding.O200kBase));
            foreach (string delta in deltas)
            {
                counter.Append(delta);
            }

            return Task.FromResult(counter.Count);
        });
        await MeasureAsync("stats (StreamStatsTracker, 2 updates per event)", events, () =>
        {
            var stats = new StreamStatsTracker(TimeProvider.System);
            stats.Start();
            foreach (ChatUpdate update in updates)
            {
                stats.OnUpdate(update);
                stats.OnDelivered(update.Text?.Length ?? 0, 1);
            }

            return Task.FromResult(stats.Snapshot().CharacterCount);
        });

        await using (var server = new LoopbackSseServer(body))
        {
            using var http = new HttpClient();
            await MeasureAsync("network floor: HttpClient + SseParser, trivial item parser (loopback)", events, async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Endpoint, "chat/completions")) { Content = new StringContent("{}") };
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                int n = 0;
                await foreach (SseItem<int> item in SseParser.Create(await response.Content.ReadAsStreamAsync(), static (_, data) => data.Length).EnumerateAsync())
                {
                    n += item.Data;
                }

                return n;
            });
            await MeasureAsync("network floor through a 16 KiB BufferedStream", events, async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Endpoint, "chat/completions")) { Content = new StringContent("{}") };
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                int n = 0;
                await foreach (SseItem<int> item in SseParser.Create(new BufferedStream(await response.Content.ReadAsStreamAsync(), 16 * 1024), static (_, data) => data.Length).EnumerateAsync())
                {
                    n += item.Data;
                }

                return n;
            });
            await MeasureAsync("network + our JSON parse (loopback)", events, async () =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Endpoint, "chat/completions")) { Content = new StringContent("{}") };
                using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                int n = 0;
                await foreach (SseItem<ChatStreamEvent> item in SseParser.Create(await response.Content.ReadAsStreamAsync(), Warm(redactor).Parse).EnumerateAsync())
                {
                    n += item.Data.Content?.Length ?? 0;
                }

                return n;
            });
        }

        await MeasureAsync("one async iterator over updates (the cost of a layer)", events, async () =>
        {
            int n = 0;
            await foreach (ChatUpdate update in Layer(updates))
            {
                n += update.Text?.Length ?? 0;
            }

            return n;
        });
        await MeasureAsync("two async iterators over updates", events, async () =>
        {
            int n = 0;
            await foreach (ChatUpdate update in Layer2(Layer(updates)))
            {
                n += update.Text?.Length ?? 0;
            }

            return n;
        });

        var options = new StreamingCodeGeneratorOptions { Endpoint = new Uri("http://127.0.0.1:1/v1"), Model = "gpt-4o-mini" };
        var core = new GeneratorCore(new ReplaySource(updates), options, options.Endpoint, NullLogger.Instance, TimeProvider.System, redactor);
        await MeasureAsync("  timed attempt over in-memory updates (timer, sink, stats)", events, async () =>
        {
            PreparedRequest request = PreparedRequest.Create(new CodeGenerationRequest("x"), options, options.Endpoint);
            GenerationSink sink = core.CreateSink(request, new AnswerText());
            GenerationClock clock = GenerationClock.Start(TimeProvider.System, options.TotalTimeout);
            sink.Start(request);
            var attempt = new TimedAttempt(core.Source.Inner, ChatAttempt.First(request, includeUsage: true), sink, clock, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(30), CancellationToken.None);
            int n = 0;
            while (await attempt.MoveNextAsync())
            {
                n += attempt.Current.Text?.Length ?? 0;
            }

            await attempt.DisposeAsync();
            return n;
        });
        await MeasureAsync("  resilient source over in-memory updates (+ retry pipeline, content filter)", events, async () =>
        {
            PreparedRequest request = PreparedRequest.Create(new CodeGenerationRequest("x"), options, options.Endpoint);
            var answer = new AnswerText();
            GenerationSink sink = core.CreateSink(request, answer);
            GenerationClock clock = GenerationClock.Start(TimeProvider.System, options.TotalTimeout);
            sink.Start(request);
            int n = 0;
            await foreach (ChatUpdate update in core.Source.StreamAsync(request, sink, clock, CancellationToken.None))
            {
                answer.Accept(update.Text ?? string.Empty);
                n += update.Text?.Length ?? 0;
            }

            return n;
        });
        await MeasureAsync("generation over in-memory updates (timer, resilience, pipeline, tokens, stats)", events, async () =>
        {
            var stream = new CodeGenerationStream(core, PreparedRequest.Create(new CodeGenerationRequest("x"), options, options.Endpoint), CancellationToken.None);
            int n = 0;
            await foreach (Chunk chunk in stream)
            {
                n += chunk.Text.Length;
            }

            return n;
        });
        return 0;
    }

    /// <summary>A parser past the first event, as the source leaves it: id and model are known, so not read again.</summary>
    private static ChatStreamEventParser Warm(SecretRedactor redactor) => new(redactor) { NeedId = false, NeedModel = false };

    private static string? s_only;

    private static async Task MeasureAsync(string name, int events, Func<Task<int>> run)
    {
        if (s_only is not null && !name.Contains(s_only, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        for (int i = 0; i < (s_only is null ? 3 : 40); i++)
        {
            await run();
        }

        double best = double.MaxValue;
        long allocated = long.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            long allBefore = GC.GetTotalAllocatedBytes(precise: true);
            long start = Stopwatch.GetTimestamp();
            await run();
            double ns = Stopwatch.GetElapsedTime(start).TotalNanoseconds / events;
            best = Math.Min(best, ns);
            allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - allBefore);
            _ = before;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{best,8:0} ns/event {(double)allocated / events,8:0} B/event  {name}"));
    }

    private static async IAsyncEnumerable<ChatUpdate> Layer(ChatUpdate[] updates)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (ChatUpdate update in updates)
        {
            yield return update;
        }
    }

    private static async IAsyncEnumerable<ChatUpdate> Layer2(IAsyncEnumerable<ChatUpdate> inner)
    {
        await foreach (ChatUpdate update in inner.ConfigureAwait(false))
        {
            yield return update;
        }
    }
}
