using Polly;
using Polly.Retry;

namespace StreamingCodeGeneration;

/// <summary>
/// Builds the Polly retry pipeline that wraps "open an attempt and read it to its first content". Its strategy
/// decides from the outcome it is given and the generation's data in the context (time left before the total
/// timeout); it reports a retry to the generation's sink and calls nothing else.
/// </summary>
internal static class RetryPipelineFactory
{
    /// <summary>The generation an execution belongs to.</summary>
    public static readonly ResiliencePropertyKey<GenerationContext> GenerationKey = new("StreamingCodeGenerator.Generation");

    public static ResiliencePipeline<OpenedAttempt> Create(StreamingCodeGeneratorOptions options, TimeProvider timeProvider, Func<double> jitter)
    {
        var builder = new ResiliencePipelineBuilder<OpenedAttempt> { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<OpenedAttempt>
            {
                MaxRetryAttempts = options.MaxRetries,
                ShouldHandle = static args => ValueTask.FromResult(ShouldRetry(args.Outcome.Exception, args.Context)),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(
                    ComputeDelay(args.AttemptNumber, args.Outcome.Exception, options.RetryBaseDelay, options.RetryMaxDelay, jitter)),
                OnRetry = static args =>
                {
                    // A retry of a continuation's opening attempt is a continuation too, and the caller already has text.
                    GenerationContext generation = args.Context.Properties.GetValue(GenerationKey, null!);
                    return generation.Sink.RetryingAsync(
                        args.RetryDelay,
                        (CodeGenerationException)args.Outcome.Exception!,
                        isContinuation: generation.Answer.AcceptedLength > 0,
                        partialText: generation.Answer.Delivered);
                },
            });
        }

        return builder.Build();
    }

    /// <summary>
    /// Retry a transient failure (see <see cref="RetryClassifier"/>) unless the run was cancelled (by the caller or the
    /// total timeout) or the server asks to wait longer than the total timeout leaves.
    /// </summary>
    internal static bool ShouldRetry(Exception? exception, ResilienceContext context)
    {
        if (exception is not CodeGenerationException failure || context.CancellationToken.IsCancellationRequested || !RetryClassifier.IsTransient(failure))
        {
            return false;
        }

        return failure is not RateLimitException { RetryAfter: TimeSpan retryAfter }
            || retryAfter <= context.Properties.GetValue(GenerationKey, null!).RemainingTime;
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
