using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Polly;

namespace StreamingCodeGeneration;

/// <summary>
/// The resilience stage: it owns a generation's attempts end to end. Polly's retry strategy runs them (see
/// <see cref="GenerationAttempts"/>): it retries transient failures until an attempt reaches its first content (nothing
/// has reached the caller, so nothing can be repeated) and, when <see cref="MidStreamRecovery.Continue"/> is on, resumes
/// a broken answer by asking the model to continue, after the same backoff; this stage yields each attempt's content,
/// dropping what a continuation repeats. It yields only content: answer text, and reasoning when the caller asked for it.
/// </summary>
internal sealed class ResilientChatSource
{
    private readonly StreamingCodeGeneratorOptions _options;
    private readonly ResiliencePipeline<AttemptEnd> _pipeline;
    private readonly UpstreamCircuitBreaker? _circuitBreaker;

    /// <param name="source">The provider's source.</param>
    /// <param name="options">The settings (retries, backoff, timeouts, continuation).</param>
    /// <param name="timeProvider">The clock for backoff delays.</param>
    /// <param name="retryJitter">Whether backoff delays are jittered (tests turn it off to check exact delays).</param>
    /// <param name="circuitBreaker">The circuit breaker each attempt opens through; <see langword="null"/> for none.</param>
    public ResilientChatSource(IChatUpdateSource source, StreamingCodeGeneratorOptions options, TimeProvider timeProvider, bool retryJitter, UpstreamCircuitBreaker? circuitBreaker = null)
    {
        _circuitBreaker = circuitBreaker;
        Inner = source;
        _options = options;
        _pipeline = RetryPipelineFactory.Create(options, timeProvider, retryJitter);
    }

    /// <summary>The source attempts are opened from.</summary>
    public IChatUpdateSource Inner { get; }

    /// <summary>Runs the attempts of one generation and yields their content.</summary>
    /// <param name="request">What to ask.</param>
    /// <param name="sink">Where attempts and retries are reported.</param>
    /// <param name="clock">When the generation started and its total timeout (the budget for <c>Retry-After</c> waits).</param>
    /// <param name="cancellationToken">Cancels the generation (the caller's token and the total timeout).</param>
    public async IAsyncEnumerable<ChatUpdate> StreamAsync(PreparedRequest request, GenerationSink sink, GenerationClock clock, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool includeReasoning = _options.IncludeReasoning;
        var attempts = new GenerationAttempts(Inner, _options, request, sink, clock, _circuitBreaker);
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RetryPipelineFactory.AttemptsKey, attempts);
        Task<Outcome<AttemptEnd>> execution = _pipeline.ExecuteOutcomeAsync(
            static (ctx, state) => state.RunAttemptAsync(ctx.CancellationToken),
            context,
            attempts).AsTask();
        try
        {
            while (await attempts.NextAsync(execution).ConfigureAwait(false) is { } opened)
            {
                TimedAttempt reader = opened.Reader;
                ContinuationOverlapFilter? overlap = opened.Attempt.ContinuationText is { } answerSoFar ? new ContinuationOverlapFilter(answerSoFar) : null;
                Exception? broken = null;
                try
                {
                    ChatUpdate? next = opened.FirstContent;
                    while (next is { } update)
                    {
                        if (overlap is not null && update.Text is not null)
                        {
                            // Hold the start of a continuation while it may still repeat the answer's tail.
                            update.Text = overlap.Push(update.Text) is { Length: > 0 } released ? released : null;
                            overlap = overlap.IsDecided ? null : overlap;
                        }

                        if (update.IsContent(includeReasoning))
                        {
                            attempts.Yielded(update.Text);
                            yield return update;
                        }

                        next = null;
                        try
                        {
                            while (await reader.MoveNextAsync().ConfigureAwait(false))
                            {
                                if (reader.Current.IsContent(includeReasoning))
                                {
                                    next = reader.Current;
                                    break;
                                }
                            }
                        }
                        catch (Exception ex)
                        {
                            // After text reached the caller: the strategy decides whether to continue.
                            broken = ex;
                        }
                    }

                    if (broken is null && overlap?.Flush() is { Length: > 0 } rest)
                    {
                        attempts.Yielded(rest);
                        yield return new ChatUpdate { Text = rest };
                    }
                }
                finally
                {
                    await reader.DisposeAsync().ConfigureAwait(false);
                }

                attempts.End(broken is null ? AttemptEnd.Completed : AttemptEnd.Broken(broken));
            }

            Outcome<AttemptEnd> outcome = await execution.ConfigureAwait(false);
            if ((outcome.Exception ?? outcome.Result.Failure) is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            if (!execution.IsCompleted)
            {
                // The caller stopped reading while an attempt was handed over: end the execution before leaving.
                attempts.End(AttemptEnd.Abandoned);
                await ((Task)execution).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            ResilienceContextPool.Shared.Return(context);
        }
    }
}
