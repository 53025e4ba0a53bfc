using System.Text;

namespace StreamingCodeGeneration;

/// <summary>
/// The mutable progress of one generation. Written by the enumerating thread, read from any thread through
/// <see cref="Snapshot"/>; a lock keeps every snapshot consistent.
/// </summary>
internal sealed class StreamStatsTracker
{
    private readonly object _gate = new();
    private readonly TimeProvider _timeProvider;
    private long _startTimestamp;
    private TimeSpan? _finalElapsed;
    private TimeSpan? _timeToFirstChunk;
    private StreamStatus _status = StreamStatus.NotStarted;
    private int _eventCount;
    private int _emptyEventCount;
    private int _characterCount;
    private int _reasoningCharacterCount;
    private int _tokenCount;
    private int _attempts;
    private FinishReason? _finishReason;
    private string? _rawFinishReason;
    private TokenUsage? _usage;
    private bool _usageRequested = true;
    private string? _model;
    private string? _responseId;
    private StringBuilder? _refusal;
    private bool _contentFiltered;

    public StreamStatsTracker(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    public StreamStatus Status
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    public void Start()
    {
        lock (_gate)
        {
            _startTimestamp = _timeProvider.GetTimestamp();
            _status = StreamStatus.Connecting;
        }
    }

    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(_startTimestamp);

    /// <summary>Counts a request about to be sent; returns its number (1 for the first).</summary>
    public int BeginAttempt()
    {
        lock (_gate)
        {
            _status = _timeToFirstChunk is null ? StreamStatus.Connecting : StreamStatus.Streaming;
            return ++_attempts;
        }
    }

    public int Attempts => Volatile.Read(ref _attempts);

    public void SetStatus(StreamStatus status)
    {
        lock (_gate)
        {
            _status = status;
        }
    }

    public void DisableUsage()
    {
        lock (_gate)
        {
            _usageRequested = false;
        }
    }

    /// <summary>Records one received update (every one counts; those without answer text are also counted as empty).</summary>
    public void OnUpdate(in ChatUpdate e)
    {
        lock (_gate)
        {
            _eventCount++;
            if (e.Text is null)
            {
                _emptyEventCount++;
            }

            _reasoningCharacterCount += e.Reasoning?.Length ?? 0;
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
                (_refusal ??= new StringBuilder()).Append(e.Refusal);
            }

            _contentFiltered |= e.ContentFiltered;
        }
    }

    /// <summary>Records text handed to the caller.</summary>
    public void OnDelivered(int characters, int totalTokens)
    {
        lock (_gate)
        {
            _timeToFirstChunk ??= _finalElapsed ?? Elapsed;
            if (_status is StreamStatus.Connecting or StreamStatus.Retrying)
            {
                _status = StreamStatus.Streaming;
            }

            _characterCount += characters;
            _tokenCount = totalTokens;
        }
    }

    /// <summary>Records a reasoning chunk handed to the caller: the stream is live, though no answer text arrived yet.</summary>
    public void OnReasoningDelivered()
    {
        lock (_gate)
        {
            if (_status is StreamStatus.Connecting or StreamStatus.Retrying)
            {
                _status = StreamStatus.Streaming;
            }
        }
    }

    /// <summary>Sets the final status; returns <see langword="false"/> when the generation had already ended.</summary>
    public bool Finish(StreamStatus status)
    {
        lock (_gate)
        {
            if (_status is StreamStatus.Completed or StreamStatus.Failed or StreamStatus.Cancelled)
            {
                return false;
            }

            _finalElapsed = _status == StreamStatus.NotStarted ? TimeSpan.Zero : Elapsed;
            _status = status;
            return true;
        }
    }

    public StreamStats Snapshot()
    {
        lock (_gate)
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
                Refusal = _refusal?.ToString(),
                ContentFiltered = _contentFiltered,
            };
        }
    }

    internal static FinishReason MapFinishReason(string raw) => raw switch
    {
        "stop" or "eos" or "end_turn" => FinishReason.Stop,
        "length" or "max_tokens" => FinishReason.Length,
        "content_filter" => FinishReason.ContentFilter,
        "tool_calls" => FinishReason.ToolCalls,
        "function_call" => FinishReason.FunctionCall,
        _ => FinishReason.Other,
    };
}
