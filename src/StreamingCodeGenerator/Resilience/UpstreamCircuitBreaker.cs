using Microsoft.Extensions.Http.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;

namespace StreamingCodeGeneration;

/// <summary>
/// The circuit breaker every generation of a generator (or of one dependency-injection registration) opens its attempts
/// through: a Polly pipeline holding <see cref="CircuitBreakerStrategy"/>, executed once per attempt around its opening
/// only (the request up to the first content, see <see cref="GenerationAttempts"/>). While it is open an attempt fails
/// with <see cref="CircuitOpenException"/> before anything is sent.
/// </summary>
/// <remarks>
/// The retry strategy runs outside it, so each retry is one more execution that the breaker counts and may refuse; a
/// refusal is not retried. The breaker's own exception is never passed on: its inner exception is the failure of some
/// other generation (another caller's partial text).
/// </remarks>
internal sealed class UpstreamCircuitBreaker
{
    private readonly ResiliencePipeline _pipeline;
    private RequestMetadata? _metadata;

    /// <param name="pipeline">The pipeline holding the breaker (from the resilience registry, or built by <see cref="Create"/>).</param>
    public UpstreamCircuitBreaker(ResiliencePipeline pipeline)
    {
        _pipeline = pipeline;
    }

    /// <summary>
    /// The breaker of a generator built without dependency injection, with <c>resilience.polly.*</c> telemetry on the
    /// logger factory it was given; <see langword="null"/> when <paramref name="options"/> turn it off.
    /// </summary>
    public static UpstreamCircuitBreaker? Create(CircuitBreakerOptions options, TimeProvider timeProvider, ILoggerFactory? loggerFactory)
    {
        if (!options.Enabled)
        {
            return null;
        }

        var builder = new ResiliencePipelineBuilder { Name = CircuitBreakerStrategy.PipelineName, TimeProvider = timeProvider };
        CircuitBreakerStrategy.AddTo(builder, options).ConfigureTelemetry(loggerFactory ?? NullLoggerFactory.Instance);
        return new UpstreamCircuitBreaker(builder.Build());
    }

    /// <summary>
    /// Opens one attempt through the breaker: <paramref name="open"/> runs unless the breaker is open, and its outcome
    /// (first content, or a failure before it) is what the breaker counts.
    /// </summary>
    /// <exception cref="CircuitOpenException">The breaker is open; <paramref name="open"/> did not run.</exception>
    public async ValueTask<TResult> ExecuteAsync<TResult, TState>(Func<TState, CancellationToken, ValueTask<TResult>> open, TState state, IChatUpdateSource source, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(CircuitBreakerStrategy.SourceKey, source);
            context.SetRequestMetadata(_metadata ??= new RequestMetadata("POST", "chat", "chat") { DependencyName = source.ProviderName });
            Outcome<TResult> outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, s) =>
                {
                    try
                    {
                        return Outcome.FromResult(await s.open(s.state, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<TResult>(ex);
                    }
                },
                context,
                (open, state)).ConfigureAwait(false);
            return outcome.Exception switch
            {
                null => outcome.Result!,
                IsolatedCircuitException => throw new CircuitOpenException(retryAfter: null),
                BrokenCircuitException broken => throw new CircuitOpenException(broken.RetryAfter),
                _ => Rethrow<TResult>(outcome),
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static TResult Rethrow<TResult>(Outcome<TResult> outcome)
    {
        outcome.ThrowIfException();
        return outcome.Result!;
    }
}
