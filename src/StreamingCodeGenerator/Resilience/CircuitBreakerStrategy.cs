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

    /// <summary>
    /// Adds the breaker to <paramref name="builder"/>. While it is half-open, a probe that ends without an answer from the
    /// upstream (the caller cancelled, the total timeout ran out) counts as failed: it proved nothing, and closing on it
    /// would let every waiting generation through to an upstream that may still be down.
    /// </summary>
    public static ResiliencePipelineBuilder AddTo(ResiliencePipelineBuilder builder, CircuitBreakerOptions options)
    {
        var state = new CircuitBreakerStateProvider();
        return builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            Name = StrategyName,
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            StateProvider = state,
            ShouldHandle = args => ValueTask.FromResult(
                IsUpstreamFailure(args.Outcome.Exception, args.Context)
                || (IsUnanswered(args.Outcome.Exception) && state.CircuitState == CircuitState.HalfOpen)),
        });
    }

    /// <summary>Whether a failed opening says the upstream is failing: the failures a retry would retry.</summary>
    internal static bool IsUpstreamFailure(Exception? exception, ResilienceContext context)
    {
        if (exception is not CodeGenerationException failure)
        {
            return false;
        }

        bool? sourceSays = context.Properties.TryGetValue(SourceKey, out IChatUpdateSource? source) ? source.IsTransient(failure) : null;
        return sourceSays ?? RetryClassifier.IsTransient(failure);
    }

    /// <summary>Whether an opening ended before the upstream answered for a reason of the caller's (cancellation, the total timeout).</summary>
    private static bool IsUnanswered(Exception? exception) =>
        exception is OperationCanceledException or StreamTimeoutException { Kind: StreamTimeoutKind.Total };
}
