using Polly;
using Polly.Retry;

namespace StreamingCodeGeneration;

/// <summary>
/// Builds the Polly retry pipeline that runs a generation's attempts (see <see cref="GenerationAttempts"/>): Polly's
/// exponential backoff, with jitter, capped at <see cref="StreamingCodeGeneratorOptions.RetryMaxDelay"/>, or the
/// server's <c>Retry-After</c>; the same sequence for retries and continuations. Its strategy decides from the outcome it
/// is given and the generation's attempts in the context, and reports each retry through them.
/// </summary>
internal static class RetryPipelineFactory
{
    /// <summary>The attempts of the generation an execution belongs to.</summary>
    public static readonly ResiliencePropertyKey<GenerationAttempts> AttemptsKey = new("StreamingCodeGenerator.Attempts");

    /// <summary>The longest delay Polly computes (its options accept at most a day).</summary>
    private static readonly TimeSpan PollyMaxDelay = TimeSpan.FromDays(1);

    public static ResiliencePipeline<AttemptEnd> Create(StreamingCodeGeneratorOptions options, TimeProvider timeProvider, bool jitter)
    {
        var builder = new ResiliencePipelineBuilder<AttemptEnd> { TimeProvider = timeProvider };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(CreateOptions(options, jitter));
        }

        return builder.Build();
    }

    /// <summary>
    /// The retry strategy: <see cref="StreamingCodeGeneratorOptions.MaxRetries"/> retries and continuations in all,
    /// backoff from <see cref="StreamingCodeGeneratorOptions.RetryBaseDelay"/> doubling per attempt (Polly's decorrelated
    /// jitter when <paramref name="jitter"/> is set), a server's <c>Retry-After</c> instead when it sent one, both capped
    /// at <see cref="StreamingCodeGeneratorOptions.RetryMaxDelay"/>.
    /// </summary>
    internal static RetryStrategyOptions<AttemptEnd> CreateOptions(StreamingCodeGeneratorOptions options, bool jitter)
    {
        TimeSpan maxDelay = options.RetryMaxDelay;
        return new RetryStrategyOptions<AttemptEnd>
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = jitter,
            Delay = options.RetryBaseDelay < PollyMaxDelay ? options.RetryBaseDelay : PollyMaxDelay,
            MaxDelay = maxDelay < PollyMaxDelay ? maxDelay : PollyMaxDelay,
            ShouldHandle = static args => ValueTask.FromResult(Attempts(args.Context).ShouldRetry(args.Outcome, args.Context.CancellationToken)),
            DelayGenerator = args => ValueTask.FromResult(
                RequestedDelay(args.Outcome.Exception) is TimeSpan retryAfter
                    ? (TimeSpan?)(retryAfter < maxDelay ? retryAfter : maxDelay)
                    : null),
            OnRetry = static args => Attempts(args.Context).RetryingAsync(args.RetryDelay, args.Outcome),
        };
    }

    /// <summary>The wait the server asked for with a failure: a rate limit's <c>Retry-After</c>, or another status's (Anthropic's 529).</summary>
    internal static TimeSpan? RequestedDelay(Exception? failure) => failure switch
    {
        RateLimitException rateLimit => rateLimit.RetryAfter,
        ApiException api => api.RequestedDelay,
        _ => null,
    };

    private static GenerationAttempts Attempts(ResilienceContext context) => context.Properties.GetValue(AttemptsKey, null!);
}
