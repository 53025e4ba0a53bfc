namespace StreamingCodeGeneration;

/// <summary>
/// The mutable progress of one generation. One writer (the generation, whose steps follow one another even when
/// they hop threads) and any number of readers: a sequence lock keeps every <see cref="Snapshot"/> consistent
/// without making the writer take a lock for every event. The writer makes the version odd while it writes and even
/// when it is done; a reader copies the fields and retries if the version changed or was odd.
/// </summary>
internal sealed class StreamStatsTracker
{
    private readonly TimeProvider _timeProvider;
    private int _version;
    private long _startTimestamp;
    private TimeSpan? _finalElapsed;
    private TimeSpan? _timeToFirstChunk;
    private StreamStatus _status = StreamStatus.NotStarted;
    private int _eventCount;
    private int _emptyEventCount;
    private int _characterCount;
    private int _reasoningCharacterCount;
    private int _tokenCount;
    private TokenCountKind _tokenCountKind;
    private bool _continued;
    private int _attempts;
    private FinishReason? _finishReason;
    private string? _rawFinishReason;
    private TokenUsage? _usage;
    private bool _usageRequested = true;
    private string? _model;
    private string? _responseId;
    private string? _refusal;
    private bool _contentFiltered;

    public StreamStatsTracker(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    /// <summary>The status as the writer last set it (for the writer; other threads read <see cref="Snapshot"/>).</summary>
    public StreamStatus Status => _status;

    public int Attempts => Volatile.Read(ref _attempts);

    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(_startTimestamp);

    public void Start()
    {
        BeginWrite();
        _startTimestamp = _timeProvider.GetTimestamp();
        _status = StreamStatus.Connecting;
        EndWrite();
    }

    /// <summary>Counts a request about to be sent; returns its number (1 for the first).</summary>
    public int BeginAttempt()
    {
        BeginWrite();
        _status = _timeToFirstChunk is null ? StreamStatus.Connecting : StreamStatus.Streaming;
        int attempt = ++_attempts;
        EndWrite();
        return attempt;
    }

    public void SetStatus(StreamStatus status)
    {
        BeginWrite();
        _status = status;
        EndWrite();
    }

    public void DisableUsage()
    {
        BeginWrite();
        _usageRequested = false;
        EndWrite();
    }

    /// <summary>Records one received update (every one counts; those without answer text are also counted as empty).</summary>
    public void OnUpdate(in ChatUpdate e)
    {
        BeginWrite();
        _eventCount++;
        if (e.Text is null)
        {
            _emptyEventCount++;
        }

        if (e.Reasoning is not null)
        {
            _reasoningCharacterCount += e.Reasoning.Length;
        }

        _model ??= e.ModelId;
        _responseId ??= e.ResponseId;
        if (e.Usage is not null)
        {
            _usage = e.Usage;
        }

        if (e.FinishReason is not null)
        {
            _rawFinishReason = e.FinishReason;
            _finishReason = MapFinishReason(e.FinishReason);
        }

        if (e.Refusal is not null)
        {
            _refusal = string.Concat(_refusal, e.Refusal);
        }

        _contentFiltered |= e.ContentFiltered;
        EndWrite();
    }

    /// <summary>Gets the token count of the text handed to the caller so far: one field, read without a snapshot.</summary>
    public int TokenCount => Volatile.Read(ref _tokenCount);

    /// <summary>Records text handed to the caller.</summary>
    public void OnDelivered(int characters, int totalTokens)
    {
        BeginWrite();
        _timeToFirstChunk ??= _finalElapsed ?? Elapsed;
        if (_status is StreamStatus.Connecting or StreamStatus.Retrying)
        {
            _status = StreamStatus.Streaming;
        }

        _characterCount += characters;
        _tokenCount = totalTokens;
        EndWrite();
    }

    /// <summary>Says what the local token count is (set before the first attempt).</summary>
    public void SetTokenCountKind(TokenCountKind kind)
    {
        BeginWrite();
        _tokenCountKind = kind;
        EndWrite();
    }

    /// <summary>Records that the answer goes on in another attempt (a continuation): no one attempt's usage covers it.</summary>
    public void OnContinuation() => _continued = true;

    /// <summary>
    /// Replaces an estimated token count with the server's count of the answer when the server reported usage for an
    /// answer that came in one attempt: its output tokens less its reasoning tokens (when the model reasoned and the
    /// server does not say how many of its output tokens were reasoning, the estimate stays).
    /// </summary>
    public void PreferServerUsage()
    {
        if (_tokenCountKind != TokenCountKind.Estimate || _continued || _usage is not { } usage)
        {
            return;
        }

        int? answerTokens = usage.ReasoningTokenCount is int reasoning
            ? usage.OutputTokenCount - reasoning
            : _reasoningCharacterCount == 0 ? usage.OutputTokenCount : null;
        if (answerTokens is not int tokens || tokens < 0)
        {
            return;
        }

        BeginWrite();
        _tokenCount = tokens;
        _tokenCountKind = TokenCountKind.ServerReported;
        EndWrite();
    }

    /// <summary>Records a reasoning chunk handed to the caller: the stream is live, though no answer text arrived yet.</summary>
    public void OnReasoningDelivered()
    {
        if (_status is StreamStatus.Connecting or StreamStatus.Retrying)
        {
            SetStatus(StreamStatus.Streaming);
        }
    }

    /// <summary>Sets the final status; returns <see langword="false"/> when the generation had already ended.</summary>
    public bool Finish(StreamStatus status)
    {
        if (_status is StreamStatus.Completed or StreamStatus.Failed or StreamStatus.Cancelled)
        {
            return false;
        }

        BeginWrite();
        _finalElapsed = _status == StreamStatus.NotStarted ? TimeSpan.Zero : Elapsed;
        _status = status;
        EndWrite();
        return true;
    }

    public StreamStats Snapshot()
    {
        var spin = default(SpinWait);
        while (true)
        {
            int version = Volatile.Read(ref _version);
            if ((version & 1) == 0)
            {
                StreamStats snapshot = Copy();
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _version) == version)
                {
                    return snapshot;
                }
            }

            spin.SpinOnce();
        }
    }

    private StreamStats Copy()
    {
        TimeSpan elapsed = _finalElapsed ?? (_status == StreamStatus.NotStarted ? TimeSpan.Zero : Elapsed);
        double tokensPerSecond = 0;
        if (_timeToFirstChunk is TimeSpan first)
        {
            double seconds = (elapsed - first).TotalSeconds;
            tokensPerSecond = seconds > 0 ? _tokenCount / seconds : 0;
        }

        return new StreamStats
        {
            Status = _status,
            ServerEventCount = _eventCount,
            EmptyServerEventCount = _emptyEventCount,
            CharacterCount = _characterCount,
            ReasoningCharacterCount = _reasoningCharacterCount,
            TokenCount = _tokenCount,
            TokenCountKind = _tokenCountKind,
            Attempts = _attempts,
            TimeToFirstChunk = _timeToFirstChunk,
            Elapsed = elapsed,
            TokensPerSecond = tokensPerSecond,
            FinishReason = _finishReason,
            RawFinishReason = _rawFinishReason,
            Usage = _usage,
            UsageRequested = _usageRequested,
            ModelId = _model,
            ResponseId = _responseId,
            Refusal = _refusal,
            ContentFiltered = _contentFiltered,
        };
    }

    /// <summary>Makes the version odd (a full fence: no field write moves before it).</summary>
    private void BeginWrite() => Interlocked.Increment(ref _version);

    /// <summary>Makes the version even again (a release: every field write is visible before it).</summary>
    private void EndWrite() => Volatile.Write(ref _version, _version + 1);

    /// <summary>Every provider's finish values (see <see cref="ProviderFinishReasons.Map"/>), and <c>eos</c> and <c>function_call</c>.</summary>
    internal static FinishReason MapFinishReason(string raw) => raw switch
    {
        "eos" => FinishReason.Stop,
        "function_call" => FinishReason.FunctionCall,
        _ => ProviderFinishReasons.Map(raw),
    };
}
