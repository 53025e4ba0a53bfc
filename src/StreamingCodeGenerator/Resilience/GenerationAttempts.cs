using System.Text;
using Polly;

namespace StreamingCodeGeneration;

/// <summary>
/// One generation's attempts, as the resilience stage runs them: what the next attempt asks, the answer so far (kept
/// only when a continuation may need it), the decisions the retry strategy asks for, and the hand-over of each opened
/// attempt from the strategy's callback to the stage that reads it.
/// </summary>
/// <remarks>
/// Polly's retry strategy runs all of a generation's attempts as one execution, so one backoff sequence covers
/// retries and continuations alike. Its callback (<see cref="RunAttemptAsync"/>) opens an attempt and reads it to its
/// first content; a failure there is the outcome's exception. It then hands the attempt over
/// (<see cref="NextAsync"/>) and waits while <see cref="ResilientChatSource"/> yields its content; how the attempt
/// ended (<see cref="End"/>) becomes the outcome. The two sides take turns: exactly one of them runs at a time.
/// </remarks>
internal sealed class GenerationAttempts
{
    private readonly IChatUpdateSource _source;
    private readonly StreamingCodeGeneratorOptions _options;
    private readonly PreparedRequest _request;
    private readonly GenerationSink _sink;
    private readonly GenerationClock _clock;
    private readonly UpstreamCircuitBreaker? _circuitBreaker;
    private readonly StringBuilder? _answer;
    private bool _includeUsage;
    private TaskCompletionSource<OpenedAttempt> _opened = NewOpened();
    private TaskCompletionSource<AttemptEnd>? _ended;

    public GenerationAttempts(IChatUpdateSource source, StreamingCodeGeneratorOptions options, PreparedRequest request, GenerationSink sink, GenerationClock clock, UpstreamCircuitBreaker? circuitBreaker = null)
    {
        _circuitBreaker = circuitBreaker;
        _source = source;
        _options = options;
        _request = request;
        _sink = sink;
        _clock = clock;
        _includeUsage = options.IncludeUsage;
        _answer = options.MidStreamRecovery == MidStreamRecovery.Continue ? new StringBuilder() : null;
    }

    /// <summary>Whether the next attempt continues an answer the caller already has part of.</summary>
    private bool ContinuesNext => _answer is { Length: > 0 };

    /// <summary>
    /// The strategy's callback: one attempt, read up to its first content, then handed over until it ends. A server
    /// that refuses the usage option is asked again without it at once (reported, but neither a retry nor a wait).
    /// </summary>
    public async ValueTask<Outcome<AttemptEnd>> RunAttemptAsync(CancellationToken cancellationToken)
    {
        OpenedAttempt opened;
        try
        {
            // The shared circuit breaker counts each opening (up to the first content) and refuses it while open.
            OpenedAttempt? first = _circuitBreaker is null
                ? await OpenAsync(cancellationToken).ConfigureAwait(false)
                : await _circuitBreaker.ExecuteAsync(static (self, token) => self.OpenAsync(token), this, _source, cancellationToken).ConfigureAwait(false);
            if (first is null)
            {
                return Outcome.FromResult(AttemptEnd.Completed);
            }

            opened = first.Value;
        }
        catch (Exception ex)
        {
            return Outcome.FromException<AttemptEnd>(ex);
        }

        var ended = new TaskCompletionSource<AttemptEnd>(TaskCreationOptions.RunContinuationsAsynchronously);
        _ended = ended;
        _opened.SetResult(opened);
        return Outcome.FromResult(await ended.Task.ConfigureAwait(false));
    }

    /// <summary>The next opened attempt, or <see langword="null"/> once the strategy's execution has ended.</summary>
    public async ValueTask<OpenedAttempt?> NextAsync(Task<Outcome<AttemptEnd>> execution)
    {
        Task<OpenedAttempt> opened = _opened.Task;
        if (!opened.IsCompleted)
        {
            await Task.WhenAny(opened, execution).ConfigureAwait(false);
        }

        return opened.IsCompleted ? opened.Result : null;
    }

    /// <summary>Text the stage yields: the answer so far, which a continuation sends back.</summary>
    public void Yielded(string? text)
    {
        if (text is not null)
        {
            _answer?.Append(text);
        }
    }

    /// <summary>The handed-over attempt ended: its end becomes the strategy's outcome.</summary>
    public void End(AttemptEnd end)
    {
        TaskCompletionSource<AttemptEnd>? ended = _ended;
        if (ended is null)
        {
            return;
        }

        _ended = null;
        _opened = NewOpened();
        ended.SetResult(end);
    }

    /// <summary>
    /// Whether the strategy retries: a transient failure before the first content (see <see cref="RetryClassifier"/>
    /// and the source's own rule), unless the run was cancelled or the server asks to wait longer than the total timeout
    /// leaves; or, with <see cref="MidStreamRecovery.Continue"/>, an interruption after the caller received text.
    /// </summary>
    public bool ShouldRetry(Outcome<AttemptEnd> outcome, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            return exception is CodeGenerationException failure
                && (_source.IsTransient(failure) ?? RetryClassifier.IsTransient(failure))
                && (RetryPipelineFactory.RequestedDelay(failure) is not TimeSpan retryAfter || retryAfter <= _clock.RemainingTime);
        }

        return outcome.Result.Failure is StreamInterruptedException && ContinuesNext;
    }

    /// <summary>The strategy retries after <paramref name="delay"/>: the sink hears of it (and the caller's <c>OnRetry</c>).</summary>
    public ValueTask RetryingAsync(TimeSpan delay, Outcome<AttemptEnd> outcome) =>
        _sink.RetryingAsync(delay, (CodeGenerationException)(outcome.Exception ?? outcome.Result.Failure!), isContinuation: ContinuesNext);

    /// <summary>Opens the next attempt and reads it to its first content; <see langword="null"/> for an answer without any.</summary>
    private async ValueTask<OpenedAttempt?> OpenAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ChatAttempt attempt = ContinuesNext
                ? ChatAttempt.Continuation(_request, _answer!.ToString(), _includeUsage)
                : ChatAttempt.First(_request, _includeUsage);
            var reader = new TimedAttempt(
                _source,
                attempt,
                _sink,
                _clock,
                _options.GetFirstChunkTimeout(_request.Model),
                _options.IdleTimeout,
                cancellationToken);
            try
            {
                while (await reader.MoveNextAsync().ConfigureAwait(false))
                {
                    if (reader.Current.IsContent(_options.IncludeReasoning))
                    {
                        return new OpenedAttempt(attempt, reader, reader.Current);
                    }
                }

                await reader.DisposeAsync().ConfigureAwait(false);
                return null;
            }
            catch (UsageRejectedException rejected) when (attempt.IncludeUsage)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                _includeUsage = false;
                _sink.UsageRejected(rejected.StatusCode);
            }
            catch (UsageRejectedException rejected)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                throw rejected.Failure;
            }
            catch
            {
                await reader.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    private static TaskCompletionSource<OpenedAttempt> NewOpened() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
