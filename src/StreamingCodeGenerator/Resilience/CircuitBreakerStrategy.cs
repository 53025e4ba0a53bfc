using Polly;
using Polly.CircuitBreaker;

namespace StreamingCodeGeneration;

/// <summary>
/// The Polly circuit breaker strategy the generations of a generator (or of a dependency-injection registration) share,
/// as <see cref="UpstreamCircuitBreaker"/> runs each attempt's opening through it: it handles exactly the failures the
/// retry strategy retries (the source's own rule first, then <see cref="RetryClassifier"/>).
/// </summary>
internal static class CircuitBreakerStrategy
{
    /// <summary>The pipeline's name in <c>resilience.polly.*</c> telemetry (<c>pipeline.name</c>) for a generator built without dependency injection.</summary>
    public const string PipelineName = StreamingCodeGenerator.TelemetryName;

    /// <summary>The strategy's name in <c>resilience.polly.*</c> telemetry (<c>strategy.name</c>).</summary>
    public const string StrategyName = "CircuitBreaker";

    /// <summary>The source the attempt being judged comes from (it may call a provider's own status transient).</summary>
    public static readonly ResiliencePropertyKey<IChatUpdateSource> SourceKey = new("StreamingCodeGenerator.Source");

    /// <summary>Adds the breaker to <paramref name="builder"/>.</summary>
    public static ResiliencePipelineBuilder AddTo(ResiliencePipelineBuilder builder, CircuitBreakerOptions options) =>
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            Name = StrategyName,
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            ShouldHandle = static args => ValueTask.FromResult(IsUpstreamFailure(args.Outcome.Exception, args.Context)),
        });

    /// <summary>Whether a failed opening says the upstream is failing: the failures a retry would retry.</summary>
    internal static bool IsUpstreamFailure(Exception? exception, ResilienceContext context) =>
        exception is CodeGenerationException failure
        && (context.Properties.TryGetValue(SourceKey, out IChatUpdateSource? source) ? source.IsTransient(failure) : null) is var sourceSays
        && (sourceSays ?? RetryClassifier.IsTransient(failure));
}
