using System.Text;
using Microsoft.Extensions.Logging;
using Polly;

namespace StreamingCodeGeneration;

/// <summary>
/// One generation: the enumerator behind <see cref="CodeGenerationStream"/>. It drives attempts (through the retry
/// pipeline until the first content), reads events, assembles chunks, enforces timeouts, continues broken streams
/// when asked, and turns every failure into a typed exception carrying the delivered text and the stats.
/// </summary>
internal sealed partial class GenerationRun : IAsyncEnumerator<Chunk>
{
    private readonly GeneratorCore _core;
    private readonly StreamingCodeGeneratorOptions _options;
    private readonly PreparedRequest _request;
    private readonly StreamStatsTracker _tracker;
    private readonly ChatStreamEventParser _parser;
    private readonly SurrogateRepair _contentRepair = new();
    private readonly SurrogateRepair _reasoningRepair = new();
    private readonly ChunkAssembler _assembler;
    private readonly IncrementalTokenCounter _tokens;
    private readonly StringBuilder _delivered = new();
    /// <summary>All accepted answer text (delivered plus held): kept only when continuation may need to send it back.</summary>
    private readonly StringBuilder? _accepted;
    private long _acceptedLength;
    private readonly Queue<Chunk> _pending = new();
    private readonly CancellationToken _generateToken;
    private readonly CancellationToken _enumeratorToken;
    private CancellationTokenSource? _totalCts;
    private CancellationTokenSource? _runCts;
    private ActiveAttempt? _attempt;
    private ContinuationOverlapFilter? _overlap;
    private Exception? _deferredFailure;
    private Chunk? _current;
    private System.Diagnostics.Activity? _activity;
    private Task<ChatStreamEvent?>? _inflightRead;
    private int _deliveredChunks;
    private bool _includeUsage;
    private bool _started;
    private bool _finished;
    private bool _answerComplete;
    private int _continuations;

    public GenerationRun(GeneratorCore core, PreparedRequest request, StreamStatsTracker tracker, CancellationToken generateToken, CancellationToken enumeratorToken)
    {
        _core = core;
        _options = core.Options;
        _request = request;
        _tracker = tracker;
        _generateToken = generateToken;
        _enumeratorToken = enumeratorToken;
        _includeUsage = _options.IncludeUsage;
        _parser = new ChatStreamEventParser(core.Redactor);
        FirstChunkTimeout = _options.GetFirstChunkTimeout(request.Model);
        _accepted = _options.MidStreamRecovery == MidStreamRecovery.Continue ? new StringBuilder() : null;
        if (!_includeUsage)
        {
            tracker.DisableUsage();
        }

        _assembler = new ChunkAssembler(_options.Granularity, () => _tracker.Elapsed);
        _tokens = core.CreateTokenCounter(request.Model);
    }

    public Chunk Current => _current ?? throw new InvalidOperationException("Call MoveNextAsync first.");

    /// <summary>Everything delivered to the caller so far.</summary>
    public string DeliveredText => _delivered.ToString();

    /// <summary>Builds the result of a completed generation.</summary>
    public CodeGenerationResult BuildResult()
    {
        CodeBlockCollector blocks = _assembler.Collector;
        return new CodeGenerationResult(_delivered.ToString(), blocks.Explanation, blocks.CodeBlocks, blocks.HasUnterminatedBlock, _tracker.Snapshot());
    }

    /// <summary>The caller's chunk callback threw: stop cleanly and report it with what was delivered.</summary>
    public async ValueTask<StreamProcessingException> AbortForCallbackAsync(Exception callbackError)
    {
        _finished = true;
        await DisposeAttemptAsync().ConfigureAwait(false);
        var failure = new StreamProcessingException("The chunk callback threw: " + callbackError.Message, callbackError);
        End(StreamStatus.Failed, failure);
        WithContext(failure);
        return failure;
    }

    private ILogger Logger => _core.Logger;

    /// <summary>The first-chunk timeout for this request's model.</summary>
    private TimeSpan FirstChunkTimeout { get; }

    private bool CallerCancelled => _generateToken.IsCancellationRequested || _enumeratorToken.IsCancellationRequested;

    public async ValueTask<bool> MoveNextAsync()
    {
        if (TryDeliver())
        {
            return true;
        }

        if (_deferredFailure is not null)
        {
            Exception failure = _deferredFailure;
            _deferredFailure = null;
            throw WithContext(failure);
        }

        if (_finished)
        {
            if (_answerComplete)
            {
                // The last held chunks were delivered after the answer ended: now the stream is complete.
                End(StreamStatus.Completed, null);
            }

            return false;
        }

        try
        {
            if (!_started)
            {
                Start();
            }

            while (true)
            {
                _attempt ??= await OpenAsync().ConfigureAwait(false);
                ChatStreamEvent? next;
                try
                {
                    if (_inflightRead is null && _pending.Count > 0)
                    {
                        // Merging holds a small chunk: read on, but deliver it once it has waited MaxChunkDelay.
                        Task<ChatStreamEvent?> read = _inflightRead = _attempt.ReadAsync().AsTask();
                        if (!await CompletesBeforeDeadlineAsync(read).ConfigureAwait(false))
                        {
                            TryDeliver(force: true);
                            return true;
                        }
                    }

                    if (_inflightRead is { } inflight)
                    {
                        _inflightRead = null;
                        next = await inflight.ConfigureAwait(false);
                    }
                    else
                    {
                        next = await _attempt.ReadAsync().ConfigureAwait(false);
                    }

                    if (next is null && !_attempt.SawDone && !_attempt.SawFinishReason)
                    {
                        throw new StreamInterruptedException(
                            "The response ended before the model finished (no finish reason and no [DONE]).",
                            StreamInterruptionReason.EndedWithoutFinishReason,
                            null,
                            null);
                    }

                    if (next is { IsDone: false } e)
                    {
                        HandleEvent(e, _attempt);
                    }
                }
                catch (Exception ex)
                {
                    Exception translated = Translate(ex, _attempt);
                    if (!CanContinue(translated))
                    {
                        throw translated;
                    }

                    await BeginContinuationAsync((CodeGenerationException)translated).ConfigureAwait(false);
                    continue;
                }

                if (next is null || next.Value.IsDone)
                {
                    await CompleteAsync().ConfigureAwait(false);
                    if (TryDeliver())
                    {
                        return true;
                    }

                    End(StreamStatus.Completed, null);
                    return false;
                }

                if (TryDeliver())
                {
                    return true;
                }
            }
        }
        catch (Exception ex)
        {
            Exception failure = await FailAsync(ex).ConfigureAwait(false);
            if (TryDeliver())
            {
                // Text the assembler still held is delivered first; the failure surfaces on the next call.
                _deferredFailure = failure;
                return true;
            }

            throw WithContext(failure);
        }
    }

    private void Start()
    {
        _started = true;
        _tracker.Start();
        _activity = Telemetry.StartGeneration(_request.Model);
        _totalCts = new CancellationTokenSource(Timeout.InfiniteTimeSpan, _options.TimeProvider);
        if (StreamingCodeGeneratorOptions.IsEnforced(_options.TotalTimeout))
        {
            _totalCts.CancelAfter(_options.TotalTimeout);
        }

        _runCts = CancellationTokenSource.CreateLinkedTokenSource(_generateToken, _enumeratorToken, _totalCts.Token);
        CheckPromptFits();
    }

    /// <summary>The pre-flight check: a prompt that cannot fit fails here, before anything is sent.</summary>
    private void CheckPromptFits()
    {
        int? limit = _options.MaxPromptTokens;
        if (limit is null && ModelContextWindows.Find(_request.Model) is int window)
        {
            limit = window - (_request.MaxOutputTokens ?? 0);
        }

        if (limit is not int max)
        {
            return;
        }

        int promptTokens = PromptTokenCounter.Count(_core.GetTokenizer(_request.Model), _request.Messages);
        if (max <= 0)
        {
            throw new ContextLengthExceededException(
                $"The requested output alone ({_request.MaxOutputTokens} tokens) exceeds the context window of {_request.Model} ({max + (_request.MaxOutputTokens ?? 0)} tokens); lower MaxOutputTokens. Nothing was sent.",
                promptTokens,
                max);
        }

        if (promptTokens > max)
        {
            throw new ContextLengthExceededException(
                $"The prompt is {promptTokens} tokens but at most {max} fit ({(_options.MaxPromptTokens is null ? $"the context window of {_request.Model}" : "MaxPromptTokens")}); nothing was sent.",
                promptTokens,
                max);
        }
    }

    private void HandleEvent(in ChatStreamEvent e, ActiveAttempt attempt)
    {
        string? content = e.Content;
        _tracker.OnEvent(e, carriesText: content is not null);
        if (e.Id is not null)
        {
            _parser.NeedId = false;
        }

        if (e.Model is not null)
        {
            _parser.NeedModel = false;
        }

        if (e.FinishReason is not null)
        {
            attempt.SawFinishReason = true;
        }

        if (e.Error is { } error)
        {
            throw ServerErrorEvent(error);
        }

        if (e.Reasoning is { } reasoning)
        {
            // Reasoning is activity: a model that thinks aloud for minutes is not stalled.
            attempt.HasContent = true;
            attempt.ArmTimer(_options.IdleTimeout);
            if (Logger.IsEnabled(LogLevel.Trace))
            {
                Log.ReasoningReceived(Logger, _core.Redactor.Redact(reasoning));
            }

            reasoning = _reasoningRepair.Push(reasoning, !e.ReasoningIllFormed);
            if (_options.IncludeReasoning && reasoning.Length > 0)
            {
                _assembler.PushReasoning(reasoning, _pending);
            }
        }

        if (content is null)
        {
            return;
        }

        attempt.HasContent = true;
        attempt.ArmTimer(_options.IdleTimeout);
        if (Logger.IsEnabled(LogLevel.Trace))
        {
            Log.ContentReceived(Logger, _core.Redactor.Redact(content));
        }

        AcceptContent(_contentRepair.Push(content, !e.ContentIllFormed));
    }

    /// <summary>Answer text from the server, after repair: past the continuation overlap filter, into the assembler.</summary>
    private void AcceptContent(string content)
    {
        if (content.Length == 0)
        {
            return;
        }

        string? released = content;
        if (_overlap is not null)
        {
            released = _overlap.Push(content);
            if (_overlap.IsDecided)
            {
                _overlap = null;
            }
        }

        Accept(released);
    }

    private void Accept(string? content)
    {
        if (!string.IsNullOrEmpty(content))
        {
            _accepted?.Append(content);
            _acceptedLength += content.Length;
            _assembler.Push(content, _pending);
        }
    }

    private bool TryDeliver(bool force = false)
    {
        if (_pending.Count == 0)
        {
            return false;
        }

        Chunk? chunk = _options.MinChunkCharacters > 0 ? TakeMerged(force) : _pending.Dequeue();
        if (chunk is null)
        {
            return false;
        }

        _deliveredChunks++;
        _current = chunk;
        if (chunk.Kind == ChunkKind.Reasoning)
        {
            _tracker.OnReasoningDelivered();
            return true;
        }

        _delivered.Append(chunk.Text);
        _tokens.Append(chunk.Text);
        _tracker.OnDelivered(chunk.Text.Length, _tokens.Count);
        return true;
    }

    /// <summary>
    /// Merges the pending chunks of the head's run when they are ready: long enough, followed by another run, the
    /// stream is over, or the head has waited <see cref="StreamingCodeGeneratorOptions.MaxChunkDelay"/>.
    /// </summary>
    private Chunk? TakeMerged(bool force)
    {
        Chunk head = _pending.Peek();
        int characters = 0, count = 0;
        bool boundary = false;
        foreach (Chunk next in _pending)
        {
            if (next.Kind != head.Kind || next.BlockIndex != head.BlockIndex || !string.Equals(next.Language, head.Language, StringComparison.Ordinal))
            {
                boundary = true;
                break;
            }

            characters += next.Text.Length;
            count++;
        }

        bool ready = force || boundary || _finished || characters >= _options.MinChunkCharacters
            || _tracker.Elapsed - head.Elapsed >= _options.MaxChunkDelay;
        if (!ready)
        {
            return null;
        }

        if (count == 1)
        {
            Chunk only = _pending.Dequeue();
            return only.Index == _deliveredChunks ? only : new Chunk(_deliveredChunks, only.Text, only.Elapsed, only.Kind, only.Language, only.BlockIndex, only.FileName);
        }

        var text = new StringBuilder(characters);
        Chunk last = head;
        for (int i = 0; i < count; i++)
        {
            last = _pending.Dequeue();
            text.Append(last.Text);
        }

        return new Chunk(_deliveredChunks, text.ToString(), last.Elapsed, head.Kind, head.Language, head.BlockIndex, last.FileName ?? head.FileName);
    }

    /// <summary>Waits for <paramref name="read"/> until the held head chunk reaches its deadline.</summary>
    private async ValueTask<bool> CompletesBeforeDeadlineAsync(Task<ChatStreamEvent?> read)
    {
        if (read.IsCompleted)
        {
            return true;
        }

        TimeSpan wait = _pending.Peek().Elapsed + _options.MaxChunkDelay - _tracker.Elapsed;
        if (wait <= TimeSpan.Zero)
        {
            return false;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(_runCts!.Token);
        Task delay = Task.Delay(wait, _options.TimeProvider, stop.Token);
        Task winner = await Task.WhenAny(read, delay).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        return winner == read;
    }

    /// <summary>The answer is finished: release everything held and close the response.</summary>
    private async ValueTask CompleteAsync()
    {
        FlushHeldText();
        _finished = true;
        _answerComplete = true;
        await DisposeAttemptAsync().ConfigureAwait(false);
    }

    private void FlushHeldText()
    {
        AcceptContent(_contentRepair.Flush());
        string reasoning = _reasoningRepair.Flush();
        if (_options.IncludeReasoning && reasoning.Length > 0)
        {
            _assembler.PushReasoning(reasoning, _pending);
        }

        if (_overlap is not null)
        {
            Accept(_overlap.Flush());
            _overlap = null;
        }

        _assembler.Complete(_pending);
    }

    /// <summary>Ends the generation once: the final status, one log line, and the telemetry record.</summary>
    private void End(StreamStatus status, Exception? error)
    {
        if (_tracker.Status is StreamStatus.Completed or StreamStatus.Failed or StreamStatus.Cancelled)
        {
            return;
        }

        _finished = true;
        _tracker.Finish(status);
        StreamStats stats = _tracker.Snapshot();
        switch (status)
        {
            case StreamStatus.Completed:
                Log.Completed(Logger, stats.ChunkCount, stats.CharacterCount, stats.TokenCount, stats.Attempts, stats.RawFinishReason, stats.Elapsed.TotalMilliseconds);
                break;
            case StreamStatus.Cancelled:
                Log.Cancelled(Logger, stats.CharacterCount);
                break;
            default:
                Log.Failed(Logger, error!, stats.CharacterCount, stats.Attempts, error!.GetType().Name);
                break;
        }

        Telemetry.RecordEnd(_activity, _request.Model, stats, error);
    }

    private async ValueTask<Exception> FailAsync(Exception exception)
    {
        Exception failure = Translate(exception, _attempt);
        _finished = true;
        await DisposeAttemptAsync().ConfigureAwait(false);
        if (failure is OperationCanceledException)
        {
            End(StreamStatus.Cancelled, null);
            return failure;
        }

        // Nothing received is lost: text still held (a possible fence, an unfinished line) is delivered before the
        // failure surfaces, and the failure gets its context only then (see WithContext).
        FlushHeldText();
        End(StreamStatus.Failed, failure);
        return failure;
    }

    /// <summary>Attaches exactly what the caller received, and the stats, to a failure about to be thrown.</summary>
    private Exception WithContext(Exception failure)
    {
        if (failure is CodeGenerationException codeGenerationException)
        {
            codeGenerationException.WithContext(_delivered.ToString(), _tracker.Snapshot());
        }

        return failure;
    }

    private async ValueTask DisposeAttemptAsync()
    {
        if (_inflightRead is { } inflight)
        {
            // A read left running by merging fails once the response is gone; observe it so it is not reported as unobserved.
            _inflightRead = null;
            _ = inflight.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        if (_attempt is not null)
        {
            ActiveAttempt attempt = _attempt;
            _attempt = null;
            await attempt.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_started)
        {
            // Nothing ran: nothing to log or measure.
            _finished = true;
            _tracker.Finish(StreamStatus.Cancelled);
        }
        else
        {
            // The caller broke out of the loop or disposed the enumerator (a no-op when the generation already ended).
            End(_answerComplete && _pending.Count == 0 ? StreamStatus.Completed : StreamStatus.Cancelled, null);
        }

        await DisposeAttemptAsync().ConfigureAwait(false);
        _runCts?.Dispose();
        _totalCts?.Dispose();
    }
}
