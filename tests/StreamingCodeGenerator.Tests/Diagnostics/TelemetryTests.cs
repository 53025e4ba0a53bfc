using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using StreamingCodeGeneration.Tests.Infrastructure;
using static StreamingCodeGeneration.Tests.Infrastructure.TestGenerators;

namespace StreamingCodeGeneration.Tests.Diagnostics;

/// <summary>Activities and metrics, filtered to this test's unique model name (listeners are process-wide).</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class TelemetryTests
{
    [Test]
    public async Task Generation_EmitsAnActivityWithGenAiTags_AndMetrics()
    {
        string model = "telemetry-" + Guid.NewGuid().ToString("N");
        var activities = new ConcurrentQueue<Activity>();
        var measurements = new ConcurrentQueue<(string Instrument, double Value)>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "StreamingCodeGenerator",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("gen_ai.request.model"), model))
                {
                    activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "StreamingCodeGenerator")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        meterListener.Start();

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "gen_ai.request.model" && Equals(tag.Value, model))
                {
                    measurements.Enqueue((instrument.Name, value));
                }
            }
        }

        var time = new TimerAwareFakeTimeProvider();
        await using var server = await OpenAITestServer.StartAsync(Respond.Error(503, "busy"), Respond.Answer("hello", " world"));
        StreamingCodeGeneratorOptions options = Options(server, time, maxRetries: 2);
        options.Model = model;
        CodeGenerationStream stream = Create(options).GenerateAsync("x");
        Task<(string, List<Chunk>)> run = CollectAsync(stream);
        await time.WaitForTimerAsync(TimeSpan.FromSeconds(1)).Soon();
        time.Advance(TimeSpan.FromSeconds(1));
        await run.Soon();

        Activity activity = activities.Should().ContainSingle().Subject;
        activity.DisplayName.Should().Be("chat " + model);
        activity.Kind.Should().Be(ActivityKind.Client);
        activity.GetTagItem("gen_ai.operation.name").Should().Be("chat");
        activity.GetTagItem("gen_ai.provider.name").Should().Be("openai");
        activity.GetTagItem("server.address").Should().Be("127.0.0.1");
        activity.GetTagItem("server.port").Should().Be(server.Endpoint.Port);
        activity.GetTagItem("gen_ai.response.model").Should().Be(SseEvents.Model);
        activity.GetTagItem("gen_ai.response.id").Should().Be(SseEvents.Id);
        activity.GetTagItem("gen_ai.response.finish_reasons").Should().BeEquivalentTo(new[] { "stop" });
        activity.GetTagItem("gen_ai.usage.input_tokens").Should().Be(12);
        activity.GetTagItem("gen_ai.usage.output_tokens").Should().Be(2);
        activity.GetTagItem("streamingcodegenerator.attempts").Should().Be(2);
        activity.GetTagItem("error.type").Should().BeNull();
        activity.Events.Should().ContainSingle(e => e.Name == "gen_ai.retry");
        activity.Status.Should().Be(ActivityStatusCode.Unset);

        measurements.Should().Contain(("gen_ai.client.operation.duration", 1.0));
        measurements.Should().Contain(("gen_ai.client.operation.time_to_first_chunk", 1.0));
        measurements.Where(m => m.Instrument == "gen_ai.client.token.usage").Select(m => m.Value).Should().BeEquivalentTo([12.0, 2.0]);
        measurements.Should().ContainSingle(m => m.Instrument == "streamingcodegenerator.retries").Which.Value.Should().Be(1);
    }

    [Test]
    public async Task ConsumerThatStopsEarly_IsRecordedAsCancelled_NotAsASuccess()
    {
        string model = "telemetry-" + Guid.NewGuid().ToString("N");
        var activities = new ConcurrentQueue<Activity>();
        using var listener = Listen(model, activities);
        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("one", "two", "three"));
        StreamingCodeGeneratorOptions options = Options(server);
        options.Model = model;

        await foreach (Chunk chunk in Create(options).GenerateAsync("x"))
        {
            break;
        }

        Activity activity = activities.Should().ContainSingle().Subject;
        activity.GetTagItem("error.type").Should().Be("cancelled");
        activity.Status.Should().Be(ActivityStatusCode.Error);
    }

    [Test]
    public async Task Instruments_UseTheConventionsNamesUnitsAndTokenTypes_AndTimePerChunkAfterTheFirst()
    {
        string model = "telemetry-" + Guid.NewGuid().ToString("N");
        var instruments = new ConcurrentDictionary<string, string?>();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? TokenType)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "StreamingCodeGenerator")
                {
                    instruments[instrument.Name] = instrument.Unit;
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        meterListener.Start();

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? tokenType = null;
            bool ours = false;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                ours |= tag.Key == "gen_ai.request.model" && Equals(tag.Value, model);
                tokenType = tag.Key == "gen_ai.token.type" ? (string?)tag.Value : tokenType;
            }

            if (ours)
            {
                measurements.Enqueue((instrument.Name, value, tokenType));
            }
        }

        await using var server = await OpenAITestServer.StartAsync(Respond.Answer("a", "b", "c"));
        StreamingCodeGeneratorOptions options = Options(server);
        options.Model = model;
        await CollectAsync(Create(options).GenerateAsync("x"));

        instruments.Should().Contain(new KeyValuePair<string, string?>("gen_ai.client.operation.duration", "s"))
            .And.Contain(new KeyValuePair<string, string?>("gen_ai.client.token.usage", "{token}"))
            .And.Contain(new KeyValuePair<string, string?>("gen_ai.client.operation.time_to_first_chunk", "s"))
            .And.Contain(new KeyValuePair<string, string?>("gen_ai.client.operation.time_per_output_chunk", "s"));
        measurements.Where(m => m.Instrument == "gen_ai.client.token.usage").Select(m => (m.TokenType, m.Value))
            .Should().BeEquivalentTo([("input", 12.0), ("output", 3.0)]);
        measurements.Count(m => m.Instrument == "gen_ai.client.operation.time_per_output_chunk").Should().Be(2, "three chunks: two gaps after the first");
    }

    private static ActivityListener Listen(string model, ConcurrentQueue<Activity> activities)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "StreamingCodeGenerator",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("gen_ai.request.model"), model))
                {
                    activities.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
