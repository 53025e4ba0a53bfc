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
    private int _chunkCount;
    private int _emptyChunkCount;
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

    public bool HasModel => _model is not null;

    public bool HasResponseId => _responseId is not null;

    public bool HasFinishReason => _rawFinishReason is not null;

    public bool IsUsageRequested => _usageRequested;

    public void Start()
    {
        lock (_gate)
        {
            _startTimestamp = _timeProvider.GetTimestamp();
            _status = StreamStatus.Connecting;
        }
    }

    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(_startTimestamp);

    public void BeginAttempt()
    {
        lock (_gate)
        {
            _attempts++;
            _status = _timeToFirstChunk is null ? StreamStatus.Connecting : StreamStatus.Streaming;
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

    /// <summary>Records one received event (every event counts; <paramref name="carriesText"/> tells empty ones apart).</summary>
    public void OnEvent(in ChatStreamEvent e, bool carriesText)
    {
        lock (_gate)
        {
            _chunkCount++;
            if (!carriesText)
            {
                _emptyChunkCount++;
            }

            _reasoningCharacterCount += e.Reasoning?.Length ?? 0;
            _model ??= e.Model;
            _responseId ??= e.Id;
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

    public void Finish(StreamStatus status)
    {
        lock (_gate)
        {
            if (_status is StreamStatus.Completed or StreamStatus.Failed or StreamStatus.Cancelled)
            {
                return;
            }

            _finalElapsed = _status == StreamStatus.NotStarted ? TimeSpan.Zero : Elapsed;
            _status = status;
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
                ChunkCount = _chunkCount,
                EmptyChunkCount = _emptyChunkCount,
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
                Model = _model,
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
