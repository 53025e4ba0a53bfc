using Polly;
using Polly.Retry;

namespace StreamingCodeGeneration;

/// <summary>Builds the Polly retry pipeline that wraps "send a request and read it to its first content".</summary>
internal static class RetryPipelineFactory
{
    public static readonly ResiliencePropertyKey<GenerationRun> RunKey = new("StreamingCodeGenerator.Run");

    public static ResiliencePipeline<ActiveAttempt> Create(StreamingCodeGeneratorOptions options, Func<double> jitter)
    {
        var builder = new ResiliencePipelineBuilder<ActiveAttempt> { TimeProvider = options.TimeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<ActiveAttempt>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = static args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && args.Context.Properties.GetValue(RunKey, null!).ShouldRetry(ex)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    ComputeDelay(args.AttemptNumber, args.Outcome.Exception, options.RetryBaseDelay, options.RetryMaxDelay, jitter)),
                OnRetry = static args => args.Context.Properties.GetValue(RunKey, null!)
                    .OnRetryAsync(args.AttemptNumber, args.RetryDelay, args.Outcome.Exception),
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// The server's <c>Retry-After</c> when it sent one, else exponential backoff with "equal jitter": half of
    /// <c>base · 2^attempt</c> fixed, half random; both capped by the maximum delay.
    /// </summary>
    internal static TimeSpan ComputeDelay(int attemptNumber, Exception? exception, TimeSpan baseDelay, TimeSpan maxDelay, Func<double> jitter)
    {
        if (exception is RateLimitException { RetryAfter: TimeSpan retryAfter })
        {
            return retryAfter < maxDelay ? retryAfter : maxDelay;
        }

        double exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attemptNumber, 30));
        double capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        double withJitter = (capped / 2) + (capped / 2 * Math.Clamp(jitter(), 0, 1));
        return TimeSpan.FromMilliseconds(withJitter);
    }
}
