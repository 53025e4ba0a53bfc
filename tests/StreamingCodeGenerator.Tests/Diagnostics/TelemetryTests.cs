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

        var time = new ManualTimeProvider();
        await using var server = await ScriptedOpenAIServer.StartAsync(Respond.Error(503, "busy"), Respond.Answer("hello", " world"));
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
        activity.GetTagItem("gen_ai.response.model").Should().Be(Events.Model);
        activity.GetTagItem("gen_ai.response.id").Should().Be(Events.Id);
        activity.GetTagItem("gen_ai.usage.input_tokens").Should().Be(12);
        activity.GetTagItem("streamingcodegenerator.attempts").Should().Be(2);
        activity.Events.Should().ContainSingle(e => e.Name == "retry");
        activity.Status.Should().Be(ActivityStatusCode.Unset);

        measurements.Should().Contain(("streamingcodegenerator.generation.duration", 1.0));
        measurements.Should().Contain(("streamingcodegenerator.generation.time_to_first_chunk", 1.0));
        measurements.Should().Contain(("streamingcodegenerator.generation.output_tokens", 2.0));
        measurements.Should().ContainSingle(m => m.Instrument == "streamingcodegenerator.generation.retries").Which.Value.Should().Be(1);
    }
}
