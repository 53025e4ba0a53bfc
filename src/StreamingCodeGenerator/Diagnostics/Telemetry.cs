using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace StreamingCodeGeneration;

/// <summary>
/// The library's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>StreamingCodeGenerator</c>.
/// Activities and tags follow the OpenTelemetry GenAI conventions (<c>gen_ai.*</c>); nothing is measured unless a
/// listener is enabled.
/// </summary>
internal static class Telemetry
{
    public const string Name = "StreamingCodeGenerator";

    public static readonly ActivitySource Source = new(Name, typeof(Telemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(Telemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Whole generations, by outcome.</summary>
    public static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "streamingcodegenerator.generation.duration", "s", "Duration of a generation, retries included.");

    public static readonly Histogram<double> TimeToFirstChunk = Meter.CreateHistogram<double>(
        "streamingcodegenerator.generation.time_to_first_chunk", "s", "Time from the start of a generation to its first text.");

    public static readonly Counter<long> OutputTokens = Meter.CreateCounter<long>(
        "streamingcodegenerator.generation.output_tokens", "{token}", "Tokens delivered, counted locally.");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "streamingcodegenerator.generation.retries", "{retry}", "Retries and continuations.");

    public static Activity? StartGeneration(string model, string providerName, Uri? server)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        Activity? activity = Source.StartActivity("chat " + model, ActivityKind.Client);
        if (activity is not null)
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

    public static void RecordRetry(Activity? activity, string requestModel, int attempt, TimeSpan delay, Exception reason, bool isContinuation)
    {
        if (Retries.Enabled)
        {
            Retries.Add(
                1,
                new KeyValuePair<string, object?>("gen_ai.request.model", requestModel),
                new KeyValuePair<string, object?>("error.type", reason.GetType().Name),
                new KeyValuePair<string, object?>("continuation", isContinuation));
        }

        activity?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["attempt"] = attempt,
            ["delay_ms"] = delay.TotalMilliseconds,
            ["error.type"] = reason.GetType().Name,
            ["continuation"] = isContinuation,
        }));
    }

    public static void RecordEnd(Activity? activity, string requestModel, string providerName, StreamStats stats, Exception? error)
    {
        _ = providerName;
        var tags = new TagList
        {
            { "gen_ai.request.model", requestModel },
            { "status", stats.Status.ToString() },
        };
        if (error is not null)
        {
            tags.Add("error.type", error.GetType().Name);
        }

        if (Duration.Enabled)
        {
            Duration.Record(stats.Elapsed.TotalSeconds, tags);
        }

        if (TimeToFirstChunk.Enabled && stats.TimeToFirstChunk is TimeSpan first)
        {
            TimeToFirstChunk.Record(first.TotalSeconds, tags);
        }

        if (OutputTokens.Enabled && stats.TokenCount > 0)
        {
            OutputTokens.Add(stats.TokenCount, tags);
        }

        if (activity is null)
        {
            return;
        }

        activity.SetTag("gen_ai.response.model", stats.ModelId);
        activity.SetTag("gen_ai.response.id", stats.ResponseId);
        activity.SetTag("gen_ai.response.finish_reasons", stats.RawFinishReason is null ? null : new[] { stats.RawFinishReason });
        activity.SetTag("gen_ai.usage.input_tokens", stats.Usage?.InputTokenCount);
        activity.SetTag("gen_ai.usage.output_tokens", stats.Usage?.OutputTokenCount ?? stats.TokenCount);
        activity.SetTag("streamingcodegenerator.attempts", stats.Attempts);
        activity.SetTag("streamingcodegenerator.events", stats.ServerEventCount);
        if (error is not null)
        {
            activity.SetTag("error.type", error.GetType().Name);
            activity.SetStatus(ActivityStatusCode.Error, error.Message);
        }

        activity.Stop();
    }
}
