using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration;

/// <summary>
/// One generation, the enumerator behind <see cref="CodeGenerationStream"/>. Its data path is one straight line: the
/// resilient source yields content, the answer text accepts it, the chunk pipeline cuts it into chunks, and each
/// chunk is delivered. Stats, logs and telemetry hear of it through the sink (which also gives a failure its
/// context: exactly the text delivered); a failure is typed and surfaces only after any text still held has been
/// delivered.
/// </summary>
internal sealed class Generation : IAsyncEnumerator<Chunk>
{
    private readonly GeneratorCore _core;
    private readonly PreparedRequest _request;
    private readonly GenerationSink _sink;
    private readonly AnswerText _answer;
    private readonly ChunkPipeline _chunks;
    private readonly IncrementalTokenCounter _tokens;
    private readonly IAsyncEnumerator<Chunk> _run;
    private GenerationClock _clock;
    private StreamProcessingException? _abort;
    private bool _started;

    public Generation(GeneratorCore core, PreparedRequest request, GenerationSink sink, AnswerText answer, CancellationToken generateToken, CancellationToken enumeratorToken)
    {
        _core = core;
        _request = request;
        _sink = sink;
        _answer = answer;
        StreamingCodeGeneratorOptions options = core.Options;
        _chunks = new ChunkPipeline(options.Granularity, options.MinChunkCharacters, options.MaxChunkDelay);
        _tokens = core.CreateTokenCounter(request.Model);
        _run = RunAsync(generateToken).GetAsyncEnumerator(enumeratorToken);
    }

    public Chunk Current => _run.Current;

    private GenerationSink Sink => _sink;

    public ValueTask<bool> MoveNextAsync()
    {
        _started = true;
        return _run.MoveNextAsync();
    }

    /// <summary>The caller's chunk callback threw: the generation stops and ends with this failure, not as cancelled.</summary>
    public StreamProcessingException Abort(Exception callbackError)
    {
        _abort = new StreamProcessingException("The chunk callback threw: " + callbackError.Message, callbackError);
        return _abort;
    }

    /// <summary>The result, once the generation has completed; <see langword="null"/> before, or when it failed or was cancelled.</summary>
    public CodeGenerationResult? Result { get; private set; }

    public async ValueTask DisposeAsync()
    {
        if (!_started)
        {
            // Nothing ran: nothing to log or measure.
            Sink.NeverStarted();
        }

        await _run.DisposeAsync().ConfigureAwait(false);
    }

    private async IAsyncEnumerable<Chunk> RunAsync([EnumeratorCancellation] CancellationToken callerToken)
    {
        StreamingCodeGeneratorOptions options = _core.Options;
        using var total = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _core.TimeProvider);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(callerToken, total.Token);
        _clock = GenerationClock.Start(_core.TimeProvider, options.TotalTimeout);
        Sink.Start(_request);
        if (StreamingCodeGeneratorOptions.IsEnforced(options.TotalTimeout))
        {
            total.CancelAfter(options.TotalTimeout);
        }

        IAsyncEnumerator<ChatUpdate>? updates = null;
        Task<bool>? pendingRead = null;
        bool answerComplete = false;
        try
        {
            Exception? failure = CheckPromptFits();
            if (failure is null)
            {
                updates = _core.Source.StreamAsync(_request, Sink, _clock, run.Token).GetAsyncEnumerator(run.Token);
                while (true)
                {
                    // The clock matters only to merging (how long a piece has waited): otherwise it is not read at all.
                    TimeSpan now = _chunks.Merges ? Now : default;
                    while (_chunks.TryTake(now, force: false, out Chunk? ready))
                    {
                        Deliver(ready);
                        yield return ready;
                    }

                    ValueTask<bool> read = pendingRead is null ? updates.MoveNextAsync() : new ValueTask<bool>(pendingRead);
                    pendingRead = null;
                    if (!read.IsCompleted && _chunks.Merges && _chunks.HasPending)
                    {
                        // Merging holds a small chunk: read on, but deliver it once it has waited MaxChunkDelay.
                        Task<bool> reading = read.AsTask();
                        if (!await CompletesBeforeDeadlineAsync(reading, run.Token).ConfigureAwait(false))
                        {
                            pendingRead = reading;
                            if (_chunks.TryTake(Now, force: true, out Chunk? held))
                            {
                                Deliver(held);
                                yield return held;
                            }

                            continue;
                        }

                        read = new ValueTask<bool>(reading);
                    }

                    bool more;
                    try
                    {
                        more = await read.ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        failure = Translate(ex, callerToken, total);
                        break;
                    }

                    if (!more)
                    {
                        answerComplete = true;
                        break;
                    }

                    Accept(updates.Current);
                }
            }

            if (failure is OperationCanceledException)
            {
                Sink.Cancelled();
                throw failure;
            }

            // Nothing received is lost: text still held (a possible fence, an unfinished line) is delivered before a
            // failure surfaces, and the failure gets its context only then.
            _chunks.Complete(Now);
            while (_chunks.TryTake(Now, force: true, out Chunk? rest))
            {
                Deliver(rest);
                yield return rest;
            }

            if (failure is not null)
            {
                Sink.Failed(failure);
                throw failure;
            }

            Complete();
        }
        finally
        {
            if (pendingRead is not null)
            {
                // A read left running by merging: stop it, so the source can be disposed.
                await run.CancelAsync().ConfigureAwait(false);
                await ((Task)pendingRead).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (updates is not null)
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }

            if (_abort is not null)
            {
                Sink.Failed(_abort);
            }
            else
            {
                // The caller stopped early (broke out, cancelled, disposed): cancelled, unless it had everything already.
                bool deliveredEverything = answerComplete && !_chunks.HasPending;
                if (deliveredEverything)
                {
                    Complete();
                }
                else
                {
                    Sink.Cancelled();
                }
            }
        }
    }

    private TimeSpan Now => _clock.Elapsed;

    /// <summary>The answer is complete and the caller has all of it: the status, then the result.</summary>
    private void Complete()
    {
        Sink.Completed();
        if (Result is null && Sink.Snapshot().Status == StreamStatus.Completed)
        {
            CodeBlockCollector blocks = _chunks.Collector;
            Result = new CodeGenerationResult(_answer.Accepted, blocks.Explanation, blocks.CodeBlocks, Sink.Snapshot());
        }
    }

    private void Accept(in ChatUpdate update)
    {
        TimeSpan now = update.Arrival ?? Now;
        if (update.Reasoning is not null && _core.Options.IncludeReasoning)
        {
            _chunks.PushReasoning(update.Reasoning, now);
        }

        if (update.Text is not null)
        {
            _answer.Accept(update.Text);
            _chunks.PushText(update.Text, now);
        }
    }

    private void Deliver(Chunk chunk)
    {
        if (chunk.Kind == ChunkKind.Reasoning)
        {
            Sink.ReasoningDelivered();
            return;
        }

        _answer.MarkDelivered(chunk.Text.Length);
        _tokens.Append(chunk.Text);
        Sink.TextDelivered(chunk.Text.Length, _tokens.Count);
    }

    /// <summary>Waits for <paramref name="read"/> until the oldest held chunk reaches its deadline.</summary>
    private async ValueTask<bool> CompletesBeforeDeadlineAsync(Task<bool> read, CancellationToken cancellationToken)
    {
        TimeSpan wait = _chunks.Deadline - Now;
        if (wait <= TimeSpan.Zero)
        {
            return read.IsCompleted;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task delay = Task.Delay(wait, _core.TimeProvider, stop.Token);
        Task winner = await Task.WhenAny(read, delay).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        return winner == read;
    }

    /// <summary>
    /// What the caller sees of a failure: its own cancellation stays an <see cref="OperationCanceledException"/>, the
    /// total timeout becomes <see cref="StreamTimeoutException"/>, and everything else arrives typed from below.
    /// </summary>
    private Exception Translate(Exception exception, CancellationToken callerToken, CancellationTokenSource total)
    {
        if (callerToken.IsCancellationRequested)
        {
            return exception as OperationCanceledException
                ?? new OperationCanceledException("The generation was cancelled.", exception, callerToken);
        }

        if (total.IsCancellationRequested)
        {
            return new StreamTimeoutException(StreamTimeoutKind.Total, _core.Options.TotalTimeout, exception);
        }

        return exception;
    }

    /// <summary>The pre-flight check: a prompt that cannot fit fails here, before anything is sent.</summary>
    private ContextLengthExceededException? CheckPromptFits()
    {
        PreparedRequest request = _request;
        int? limit = _core.Options.MaxPromptTokens;
        int? window = limit is null ? KnownModels.Find(request.Model)?.ContextWindow : null;
        if (window is int known)
        {
            limit = known - (request.MaxOutputTokens ?? 0);
        }

        if (limit is not int max)
        {
            return null;
        }

        int promptTokens = PromptTokenCounter.Count(_core.GetTokenizer(request.Model), request.Messages);
        int? output = window is null ? null : request.MaxOutputTokens;
        if (max <= 0)
        {
            // No prompt fits: the limit is 0, never the negative difference.
            return new ContextLengthExceededException(
                $"The requested output alone ({request.MaxOutputTokens} tokens) exceeds the context window of {request.Model} ({window} tokens), which must also hold the prompt ({promptTokens} tokens); lower MaxOutputTokens. Nothing was sent.",
                promptTokens,
                0,
                window,
                output);
        }

        if (promptTokens <= max)
        {
            return null;
        }

        string reason = window is null ? "MaxPromptTokens"
            : output is null ? $"the context window of {request.Model}"
            : $"the context window of {request.Model}, {window} tokens, less MaxOutputTokens {output}";
        return new ContextLengthExceededException(
            $"The prompt is {promptTokens} tokens but at most {max} fit ({reason}); nothing was sent.",
            promptTokens,
            max,
            window,
            output);
    }
}
