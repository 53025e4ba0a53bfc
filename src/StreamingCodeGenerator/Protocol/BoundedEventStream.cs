namespace StreamingCodeGeneration;

/// <summary>
/// Wraps a response body and fails once a single server-sent event grows past a limit, so a hostile or broken server
/// cannot make us buffer without bound. It never looks at the bytes (the SSE parser scans them once): it counts the
/// bytes read since the parser last dispatched an event, which <see cref="EventDispatched"/> resets, and fails when
/// the bytes before the latest read already exceed the limit. So an oversized event fails within one read of
/// passing the limit, a stream of small events never does, and a long run of lines that dispatch nothing (comments,
/// endless <c>data:</c> lines without a blank line) counts as one event.
/// </summary>
internal sealed class BoundedEventStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly int _maxEventSize;
    private long _sinceDispatch;

    public BoundedEventStream(Stream inner, int maxEventSize)
    {
        _inner = inner;
        _maxEventSize = maxEventSize;
    }

    /// <summary>The parser dispatched an event: what it buffered so far is accounted for.</summary>
    public void EventDispatched() => _sinceDispatch = 0;

    public override int Read(Span<byte> buffer) => Count(_inner.Read(buffer));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ValueTask<int> read = _inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? new ValueTask<int>(Count(read.Result)) : AwaitAsync(read);

        async ValueTask<int> AwaitAsync(ValueTask<int> pending) => Count(await pending.ConfigureAwait(false));
    }

    private int Count(int read)
    {
        // The bytes just read may finish this event and start the next, so only what came before them counts: all of
        // that belongs to the event still being read (the parser dispatched every complete one), which is too large.
        _sinceDispatch += read;
        if (_sinceDispatch - read > _maxEventSize)
        {
            throw new SseProtocolException(
                $"A server-sent event exceeded the maximum event size of {_maxEventSize} bytes (StreamingCodeGeneratorOptions.MaxEventSize).",
                default,
                SecretRedactor.Default);
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
