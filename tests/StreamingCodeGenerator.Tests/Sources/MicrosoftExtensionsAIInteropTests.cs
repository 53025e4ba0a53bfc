using System.ClientModel;
using System.ClientModel.Primitives;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using OpenAI;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Sources;

/// <summary>
/// Microsoft.Extensions.AI with real clients nobody here wrote: OpenAI's <c>ChatClient.AsIChatClient()</c>
/// (Microsoft.Extensions.AI.OpenAI) as the generator's source, and the generator's <c>AsChatClient()</c> inside a
/// <see cref="ChatClientBuilder"/> pipeline of Microsoft.Extensions.AI's own middleware.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class MicrosoftExtensionsAIInteropTests
{
    [Test]
    public async Task OpenAIAsIChatClient_AsTheSource_StreamsExactTextChunksUsageAndFinishReason()
    {
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().Role().Content("Here:\n```cs\n", "var x = 1; // ü😀\n", "```\n").Finish("length").Usage(21, 3).Done().Build());
        IChatClient source = OpenAIChatClient(server).AsIChatClient();
        var generator = new StreamingCodeGenerator(source, new StreamingCodeGeneratorOptions { Model = "gpt-4o-mini" });

        CodeGenerationStream stream = generator.GenerateAsync("x");
        (string text, List<Chunk> chunks) = await CollectAsync(stream);

        text.Should().Be("Here:\n```cs\nvar x = 1; // ü😀\n```\n");
        chunks.Where(c => c.Kind == ChunkKind.Code).Select(c => c.Text).Should().Equal("var x = 1; // ü😀\n");
        stream.Stats.FinishReason.Should().Be(FinishReason.Length);
        stream.Stats.IsTruncated.Should().BeTrue();
        stream.Stats.Usage!.InputTokenCount.Should().Be(21);
        stream.Stats.Usage.OutputTokenCount.Should().Be(3);
        stream.Stats.ResponseId.Should().Be(SseEvents.Id);
        stream.Stats.ModelId.Should().Be(SseEvents.Model);
        stream.Stats.TokenCount.Should().Be(Tokenizer.ForModel("gpt-4o-mini").CountTokens(text));
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/v1/chat/completions");
        request.Authorization.Should().Be("Bearer " + ApiKey);
        request.Stream.Should().BeTrue();
        request.Json.GetProperty("messages").EnumerateArray().Last().GetProperty("content").ToString().Should().Contain("x");
    }

    [Test]
    public async Task OpenAIAsIChatClient_WithItsOwnRetriesOff_EachAttemptIsOneRequest_AndA429IsRateLimited()
    {
        await using var server = await OpenAITestServer.StartAsync(Respond.RateLimited(retryAfterMs: "1"), Respond.RateLimited(retryAfterMs: "1"));
        IChatClient source = OpenAIChatClient(server, new ClientRetryPolicy(maxRetries: 0)).AsIChatClient();
        var options = new StreamingCodeGeneratorOptions { Model = "gpt-4o-mini", MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(1) };
        CodeGenerationStream stream = new StreamingCodeGenerator(source, options).GenerateAsync("x");

        (Exception? error, _) = await CollectFailureAsync(stream);

        error.Should().BeOfType<RateLimitException>().Which.StatusCode.Should().Be(429);
        stream.Stats.Attempts.Should().Be(2);
        server.RequestCount.Should().Be(2, "the client's pipeline retries nothing, so attempts do not multiply");
    }

    [Test]
    public async Task OpenAIAsIChatClient_StreamCutAfterContent_IsInterrupted_WithThePartialText_AndNotRetried()
    {
        // A cut is a TCP reset, which can discard bytes not yet read: cut only once the generator has the text.
        CodeGenerationStream? stream = null;
        await using var server = await OpenAITestServer.StartAsync(
            new SseScript().Role().Content("partial ", "answer").CutWhen(() => stream?.Stats.CharacterCount == 14).Build());
        IChatClient source = OpenAIChatClient(server, new ClientRetryPolicy(maxRetries: 0)).AsIChatClient();
        var options = new StreamingCodeGeneratorOptions { Model = "gpt-4o-mini", MaxRetries = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(1), RetryMaxDelay = TimeSpan.FromMilliseconds(1) };
        stream = new StreamingCodeGenerator(source, options).GenerateAsync("x");

        (Exception? error, string received) = await CollectFailureAsync(stream);

        received.Should().Be("partial answer");
        error.Should().BeOfType<StreamInterruptedException>().Which.PartialText.Should().Be("partial answer");
        stream.Stats.Attempts.Should().Be(1, "content had arrived: retrying would repeat it");
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task AsChatClient_InAPipelineWithCacheFunctionInvocationOpenTelemetryAndLogging_KeepsTextUsageAndFinishReason()
    {
        string model = "interop-" + Guid.NewGuid().ToString("N");
        string sourceName = "interop-source-" + Guid.NewGuid().ToString("N");
        var spans = new ConcurrentQueue<Activity>();
        using ActivityListener activities = ListenToSpans(model, sourceName, spans);
        var tokenUsage = new ConcurrentQueue<(string TokenType, long Count)>();
        using MeterListener meters = ListenToTokenUsage(sourceName, tokenUsage);

        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("Hello", ", world"));
        StreamingCodeGeneratorOptions options = Options(server);
        options.Model = model;
        var logger = new ListLogger();
        using var loggerFactory = new SingleLoggerFactory(logger);
        var cache = new MemoryDistributedCache(Microsoft.Extensions.Options.Options.Create(new MemoryDistributedCacheOptions()));
        using IChatClient pipeline = new ChatClientBuilder(Create(options).AsChatClient())
            .UseDistributedCache(cache)
            .UseFunctionInvocation(loggerFactory)
            .UseOpenTelemetry(loggerFactory, sourceName)
            .UseLogging(loggerFactory)
            .Build();
        int toolCalls = 0;
        var chatOptions = new ChatOptions { Tools = [AIFunctionFactory.Create(() => Interlocked.Increment(ref toolCalls), "count")] };

        List<ChatResponseUpdate> first = await StreamAsync(pipeline, chatOptions);
        List<ChatResponseUpdate> second = await StreamAsync(pipeline, chatOptions);

        foreach (List<ChatResponseUpdate> updates in new[] { first, second })
        {
            string.Concat(updates.Select(u => u.Text)).Should().Be("Hello, world");
            updates.Select(u => u.FinishReason).Should().ContainSingle(reason => reason != null).Which.Should().Be(ChatFinishReason.Stop);
            UsageDetails usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Should().ContainSingle().Which.Details;
            usage.InputTokenCount.Should().Be(12);
            usage.OutputTokenCount.Should().Be(2);
        }

        server.RequestCount.Should().Be(1, "the second, identical request is answered from the distributed cache");
        toolCalls.Should().Be(0, "the model answered with text, so no function was invoked");
        server.Requests.Single().Json.TryGetProperty("tools", out _).Should().BeFalse("the generator streams text and sends no tools");

        // OpenTelemetryChatClient's span is the parent of the generator's own span, and both carry the usage.
        Activity outer = spans.Should().ContainSingle(s => s.Source.Name == sourceName).Which;
        Activity inner = spans.Should().ContainSingle(s => s.Source.Name == "StreamingCodeGenerator").Which;
        inner.ParentSpanId.Should().Be(outer.SpanId);
        Convert.ToInt64(outer.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture).Should().Be(2);
        Convert.ToInt64(inner.GetTagItem("gen_ai.usage.output_tokens"), System.Globalization.CultureInfo.InvariantCulture).Should().Be(2);
        TagText(outer, "gen_ai.response.finish_reasons").Should().Contain("stop");
        tokenUsage.Should().BeEquivalentTo([("input", 12L), ("output", 2L)]);

        // LoggingChatClient (innermost, so only the first call reached it) logged the call, each update (at Trace) and its end.
        string[] logged = [.. logger.Entries.Select(e => e.Message)];
        logged.Count(m => m.StartsWith("GetStreamingResponseAsync invoked", StringComparison.Ordinal)).Should().Be(1);
        logged.Count(m => m.StartsWith("GetStreamingResponseAsync received update", StringComparison.Ordinal)).Should().BeGreaterThanOrEqualTo(2);
        logged.Should().ContainSingle(m => m == "GetStreamingResponseAsync completed.");
    }

    private static async Task<List<ChatResponseUpdate>> StreamAsync(IChatClient client, ChatOptions options)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync("Say hello", options))
        {
            updates.Add(update);
        }

        return updates;
    }

    /// <summary>A tag's value as text: an array tag (as Microsoft.Extensions.AI may set one) joined with commas.</summary>
    private static string TagText(Activity activity, string name) => activity.GetTagItem(name) switch
    {
        null => string.Empty,
        string text => text,
        System.Collections.IEnumerable values => string.Join(",", values.Cast<object?>()),
        object value => value.ToString() ?? string.Empty,
    };

    /// <summary>OpenAI's own chat client for the loopback server, optionally with its pipeline's retry policy replaced.</summary>
    private static OpenAI.Chat.ChatClient OpenAIChatClient(OpenAITestServer server, ClientRetryPolicy? retryPolicy = null)
    {
        var clientOptions = new OpenAIClientOptions { Endpoint = server.Endpoint };
        if (retryPolicy is not null)
        {
            clientOptions.RetryPolicy = retryPolicy;
        }

        return new OpenAIClient(new ApiKeyCredential(ApiKey), clientOptions).GetChatClient("gpt-4o-mini");
    }

    /// <summary>Spans of this test only (listeners are process-wide): Microsoft.Extensions.AI's and the generator's, by model.</summary>
    private static ActivityListener ListenToSpans(string model, string sourceName, ConcurrentQueue<Activity> spans)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == sourceName || source.Name == "StreamingCodeGenerator",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("gen_ai.request.model"), model))
                {
                    spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    /// <summary>The token usage OpenTelemetryChatClient records on its meter (named after this test's source).</summary>
    private static MeterListener ListenToTokenUsage(string meterName, ConcurrentQueue<(string TokenType, long Count)> usage)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == meterName && instrument.Name == "gen_ai.client.token.usage")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<int>((_, value, tags, _) => Record(value, tags));
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        listener.Start();
        return listener;

        void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "gen_ai.token.type")
                {
                    usage.Enqueue(((string)tag.Value!, value));
                }
            }
        }
    }
}
