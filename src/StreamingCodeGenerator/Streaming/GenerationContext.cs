namespace StreamingCodeGeneration;

/// <summary>
/// What the stages of one generation share: the request, the answer so far, the sink that observes it, and the
/// settings that change while it runs. Created per generation; read by the source, the resilience stage and the
/// generation loop.
/// </summary>
internal sealed class GenerationContext
{
    private readonly TimeProvider _timeProvider;
    private long _startTimestamp;

    public GenerationContext(PreparedRequest request, GenerationSink sink, bool includeUsage, TimeSpan totalTimeout, TimeProvider timeProvider)
    {
        Request = request;
        Sink = sink;
        IncludeUsage = includeUsage;
        TotalTimeout = totalTimeout;
        _timeProvider = timeProvider;
    }

    public PreparedRequest Request { get; }

    public GenerationSink Sink { get; }

    public AnswerText Answer { get; } = new();

    /// <summary>Whether to ask for usage; <see langword="false"/> once a server rejected <c>stream_options</c>.</summary>
    public bool IncludeUsage { get; set; }

    /// <summary>The limit on the whole generation.</summary>
    public TimeSpan TotalTimeout { get; }

    /// <summary>The time left before the total timeout; <see cref="TimeSpan.MaxValue"/> when it is not enforced.</summary>
    public TimeSpan RemainingTime => StreamingCodeGeneratorOptions.IsEnforced(TotalTimeout)
        ? TotalTimeout - _timeProvider.GetElapsedTime(_startTimestamp)
        : TimeSpan.MaxValue;

    /// <summary>The time since the start of the generation.</summary>
    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(_startTimestamp);

    /// <summary>The time from the start of the generation to <paramref name="timestamp"/> (no clock read).</summary>
    public TimeSpan ElapsedAt(long timestamp) => _timeProvider.GetElapsedTime(_startTimestamp, timestamp);

    /// <summary>Marks the start of the generation (the total timeout counts from here).</summary>
    public void Start() => _startTimestamp = _timeProvider.GetTimestamp();
}
