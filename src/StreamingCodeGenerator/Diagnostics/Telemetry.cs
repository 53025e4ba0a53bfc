using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StreamingCodeGeneration;

/// <summary>
/// The library's tracing and metrics, following the OpenTelemetry GenAI semantic conventions as
/// Microsoft.Extensions.AI's <c>OpenTelemetryChatClient</c> does: one <see cref="ActivitySource"/> and one
/// <see cref="Meter"/> named <c>StreamingCodeGenerator</c> (the meter from the host's <see cref="IMeterFactory"/> when it
/// has one), the conventions' instrument names, units and bucket boundaries, and library-specific counters under the
/// library's own prefix. Nothing is measured unless a listener is enabled.
/// </summary>
internal sealed class Telemetry
{
    public const string Name = StreamingCodeGenerator.TelemetryName;

    private static readonly string? Version = typeof(Telemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(Name, Version);

    // Bucket boundaries the GenAI semantic conventions recommend for each histogram.
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    private static readonly double[] FirstChunkBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0];
    private static readonly double[] PerChunkBuckets = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5];

    /// <summary>The instruments on a meter of the library's own, for generators built without an <see cref="IMeterFactory"/>.</summary>
    public static Telemetry Default { get; } = new(new Meter(Name, Version));

    public Telemetry(Meter meter)
    {
        Duration = CreateHistogram<double>(meter, "gen_ai.client.operation.duration", "s", "GenAI operation duration.", DurationBuckets);
        TokenUsage = CreateHistogram<long>(meter, "gen_ai.client.token.usage", "{token}", "Number of input and output tokens used.", TokenBuckets);
        TimeToFirstChunk = CreateHistogram<double>(meter, "gen_ai.client.operation.time_to_first_chunk", "s", "Time to receive the first chunk of a streaming response.", FirstChunkBuckets);
        TimePerOutputChunk = CreateHistogram<double>(meter, "gen_ai.client.operation.time_per_output_chunk", "s", "Time between consecutive chunks after the first.", PerChunkBuckets);
        Retries = meter.CreateCounter<long>("streamingcodegenerator.retries", "{retry}", "Requests repeated after a failure before the first content.");
        Continuations = meter.CreateCounter<long>("streamingcodegenerator.continuations", "{continuation}", "Broken answers resumed by asking the model to continue.");
    }

    public Histogram<double> Duration { get; }

    public Histogram<long> TokenUsage { get; }

    public Histogram<double> TimeToFirstChunk { get; }

    public Histogram<double> TimePerOutputChunk { get; }

    public Counter<long> Retries { get; }

    public Counter<long> Continuations { get; }

    /// <summary>The instruments on the host's meter.</summary>
    public static Telemetry For(IMeterFactory? meterFactory) =>
        meterFactory is null ? Default : new Telemetry(meterFactory.Create(new MeterOptions(Name) { Version = Version }));

    public static Activity? StartGeneration(string model, string providerName, Uri? server)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity("chat " + model, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("gen_ai.operation.name", "chat");
            activity.SetTag("gen_ai.provider.name", providerName);
            activity.SetTag("gen_ai.request.model", model);
            if (server is not null)
            {
                activity.SetTag("server.address", server.Host);
                activity.SetTag("server.port", server.Port);
            }
        }

        return activity;
    }

    /// <summary>The attributes every measurement of a generation carries.</summary>
    public static TagList Tags(string requestModel, string providerName, Uri? server, string? responseModel, string? errorType)
    {
        var tags = new TagList
        {
            { "gen_ai.operation.name", "chat" },
            { "gen_ai.provider.name", providerName },
            { "gen_ai.request.model", requestModel },
        };
        if (responseModel is not null)
        {
            tags.Add("gen_ai.response.model", responseModel);
        }

        if (server is not null)
        {
            tags.Add("server.address", server.Host);
            tags.Add("server.port", server.Port);
        }

        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        return tags;
    }

    public void RecordRetry(Activity? activity, in TagList tags, int attempt, TimeSpan delay, Exception reason, bool isContinuation)
    {
        Counter<long> counter = isContinuation ? Continuations : Retries;
        if (counter.Enabled)
        {
            TagList withError = tags;
            withError.Add("error.type", reason.GetType().Name);
            counter.Add(1, withError);
        }

        activity?.AddEvent(new ActivityEvent(isContinuation ? "gen_ai.continuation" : "gen_ai.retry", tags: new ActivityTagsCollection
        {
            ["attempt"] = attempt,
            ["delay_ms"] = delay.TotalMilliseconds,
            ["error.type"] = reason.GetType().Name,
        }));
    }

    /// <summary>
    /// Records the end of a generation: its duration, token usage and first-chunk time, and closes its span. The error
    /// type is the failure's type name, <c>cancelled</c> when the consumer stopped early, or <see langword="null"/> for success.
    /// </summary>
    public void RecordEnd(Activity? activity, string requestModel, string providerName, Uri? server, StreamStats stats, string? errorType, string? errorMessage)
    {
        TagList tags = Tags(requestModel, providerName, server, stats.ModelId, errorType);
        if (Duration.Enabled)
        {
            Duration.Record(stats.Elapsed.TotalSeconds, tags);
        }

        if (TimeToFirstChunk.Enabled && stats.TimeToFirstChunk is TimeSpan first)
        {
            TimeToFirstChunk.Record(first.TotalSeconds, tags);
        }

        int? inputTokens = stats.Usage?.InputTokenCount;
        int outputTokens = stats.Usage?.OutputTokenCount ?? stats.TokenCount;
        if (TokenUsage.Enabled)
        {
            if (inputTokens is int input)
            {
                TagList inputTags = tags;
                inputTags.Add("gen_ai.token.type", "input");
                TokenUsage.Record(input, inputTags);
            }

            TagList outputTags = tags;
            outputTags.Add("gen_ai.token.type", "output");
            TokenUsage.Record(outputTokens, outputTags);
        }

        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("gen_ai.response.model", stats.ModelId);
            activity.SetTag("gen_ai.response.id", stats.ResponseId);
            activity.SetTag("gen_ai.response.finish_reasons", stats.RawFinishReason is null ? null : new[] { stats.RawFinishReason });
            activity.SetTag("gen_ai.usage.input_tokens", inputTokens);
            activity.SetTag("gen_ai.usage.output_tokens", outputTokens);
            activity.SetTag("streamingcodegenerator.attempts", stats.Attempts);
            activity.SetTag("streamingcodegenerator.server_events", stats.ServerEventCount);
            if (errorType is not null)
            {
                activity.SetTag("error.type", errorType);
                activity.SetStatus(ActivityStatusCode.Error, errorMessage);
            }
        }

        activity.Stop();
    }

    private static Histogram<T> CreateHistogram<T>(Meter meter, string name, string unit, string description, T[] buckets)
        where T : struct
    {
#if NET9_0_OR_GREATER
        return meter.CreateHistogram(name, unit, description, tags: null, advice: new InstrumentAdvice<T> { HistogramBucketBoundaries = buckets });
#else
        _ = buckets; // .NET 8's metrics API has no advice: the exporter's default buckets apply.
        return meter.CreateHistogram<T>(name, unit, description);
#endif
    }
}
