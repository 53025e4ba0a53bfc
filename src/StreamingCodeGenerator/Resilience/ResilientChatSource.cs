using System.Runtime.CompilerServices;
using Polly;

namespace StreamingCodeGeneration;

/// <summary>
/// The resilient event source: it opens attempts of the inner source, retrying transient failures until an attempt
/// reaches its first content (nothing has reached the caller, so nothing can be repeated), and after that, when
/// <see cref="MidStreamRecovery.Continue"/> is on, resumes a broken answer by asking the model to continue, dropping
/// what it repeats. It yields only content: answer text, and reasoning when the caller asked for it.
/// </summary>
internal sealed class ResilientChatSource
{
    private readonly IChatUpdateSource _source;
    private readonly ResiliencePipeline<OpenedAttempt> _pipeline;
    private readonly StreamingCodeGeneratorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _jitter;

    public ResilientChatSource(IChatUpdateSource source, StreamingCodeGeneratorOptions options, TimeProvider timeProvider, Func<double> jitter)
    {
        _source = source;
        _options = options;
        _timeProvider = timeProvider;
        _jitter = jitter;
        _pipeline = RetryPipelineFactory.Create(options, timeProvider, jitter);
    }

    /// <summary>The source attempts are opened from.</summary>
    public IChatUpdateSource Inner => _source;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(GenerationContext generation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool includeReasoning = _options.IncludeReasoning;
        string? continuationText = null;
        ContinuationOverlapFilter? overlap = null;
        int continuations = 0;
        while (true)
        {
            OpenedAttempt opened = await OpenAsync(generation, continuationText, cancellationToken).ConfigureAwait(false);
            TimedAttempt reader = opened.Reader;
            CodeGenerationException? broken = null;
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
                    catch (StreamInterruptedException interrupted) when (CanContinue(generation, continuations, cancellationToken))
                    {
                        broken = interrupted;
                    }
                }
            }
            finally
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (broken is null)
            {
                if (overlap?.Flush() is { Length: > 0 } rest)
                {
                    yield return new ChatUpdate { Text = rest };
                }

                yield break;
            }

            // The answer broke after text reached the caller: wait the retry backoff, then ask the model to carry on.
            TimeSpan delay = RetryPipelineFactory.ComputeDelay(continuations++, broken, _options.RetryBaseDelay, _options.RetryMaxDelay, _jitter);
            await generation.Sink.RetryingAsync(delay, broken, isContinuation: true, generation.Answer.Delivered).ConfigureAwait(false);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
            }

            continuationText = generation.Answer.Accepted;
            overlap = new ContinuationOverlapFilter(continuationText);
        }
    }

    private bool CanContinue(GenerationContext generation, int continuations, CancellationToken cancellationToken) =>
        _options.MidStreamRecovery == MidStreamRecovery.Continue
        && generation.Answer.AcceptedLength > 0
        && continuations < _options.MaxRetries
        && !cancellationToken.IsCancellationRequested;

    /// <summary>Opens an attempt that has reached its first content, retrying transient failures on the way.</summary>
    private async ValueTask<OpenedAttempt> OpenAsync(GenerationContext generation, string? continuationText, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            context.Properties.Set(RetryPipelineFactory.GenerationKey, generation);
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Self.OpenOnceAsync(state.Generation, state.ContinuationText, ctx.CancellationToken),
                context,
                (Self: this, Generation: generation, ContinuationText: continuationText)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One attempt, read up to its first content (or to the end of an empty answer). Everything that fails in here is
    /// still retryable: the caller has seen nothing of it. A server that refuses the usage option is asked again
    /// without it at once (reported, but neither a retry nor a wait).
    /// </summary>
    private async ValueTask<OpenedAttempt> OpenOnceAsync(GenerationContext generation, string? continuationText, CancellationToken cancellationToken)
    {
        while (true)
        {
            ChatAttempt attempt = continuationText is null
                ? ChatAttempt.First(generation.Request, generation.IncludeUsage)
                : ChatAttempt.Continuation(generation.Request, continuationText, generation.IncludeUsage);
            var reader = new TimedAttempt(
                _source,
                attempt,
                generation,
                _options.GetFirstChunkTimeout(generation.Request.Model),
                _options.IdleTimeout,
                _timeProvider,
                cancellationToken);
            try
            {
                while (await reader.MoveNextAsync().ConfigureAwait(false))
                {
                    if (reader.Current.IsContent(_options.IncludeReasoning))
                    {
                        return new OpenedAttempt(reader, reader.Current);
                    }
                }

                return new OpenedAttempt(reader, null);
            }
            catch (UsageRejectedException rejected)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                if (!attempt.IncludeUsage)
                {
                    throw rejected.Failure;
                }

                generation.IncludeUsage = false;
                generation.Sink.UsageRejected(rejected.StatusCode);
            }
            catch
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }
}
