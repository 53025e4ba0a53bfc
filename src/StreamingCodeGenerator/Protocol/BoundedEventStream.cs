using System.Buffers;
using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration;

/// <summary>
/// Wraps a response body and fails once a single server-sent event grows past a limit, so a hostile or broken server
/// cannot make us buffer without bound. It never looks at the bytes (the SSE parser scans them once): it counts the
/// bytes read since the parser last dispatched an event, which <see cref="EventDispatched"/> resets, and fails when
/// the bytes before the latest read already exceed the limit. So an oversized event fails within one read of
/// passing the limit, a stream of small events never does, and a long run of lines that dispatch nothing (comments,
/// endless <c>data:</c> lines without a blank line) counts as one event.
/// <para>
/// It also buffers: the SSE parser asks for a kilobyte at a time, and each read of an HTTP response body passes through
/// several layers (content-length or chunked decoding, the connection, the pipeline's wrappers), so one read of up to
/// <see cref="BufferSize"/> bytes serves many of the parser's. A read never waits to fill the buffer: it returns what
/// the one read underneath returned, so buffering adds no latency.
/// </para>
/// <para>
/// The buffer is held only while it has bytes: an asynchronous read first waits for the body with a zero-byte read
/// (HttpClient's response streams, and SslStream beneath them, complete one when data arrives without holding a buffer
/// of their own), then rents the buffer, fills it, and returns it to the pool once the parser has taken every byte. A
/// slow model sends a few chunks a second; a buffer per open stream held through every wait would cost thousands of
/// streams <see cref="BufferSize"/> bytes each for nothing.
/// </para>
/// </summary>
internal sealed class BoundedEventStream : ReadOnlyStream
{
    /// <summary>How many bytes one read of the response body asks for.</summary>
    internal const int BufferSize = 16 * 1024;

    private readonly Stream _inner;
    private readonly int _maxEventSize;
    private long _sinceDispatch;

    // Rented for one fill and returned once drained. A read that fails or is abandoned drops its buffer instead of
    // returning it: a read still pending when the stream is disposed (a cancelled attempt) may write into it later.
    private byte[]? _buffer;
    private int _start;
    private int _end;

    public BoundedEventStream(Stream inner, int maxEventSize)
    {
        _inner = inner;
        _maxEventSize = maxEventSize;
    }

    /// <summary>The parser dispatched an event: what it buffered so far is accounted for.</summary>
    public void EventDispatched() => _sinceDispatch = 0;

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end)
        {
            if (buffer.Length >= BufferSize || buffer.IsEmpty)
            {
                return Count(_inner.Read(buffer));
            }

            byte[] rented = ArrayPool<byte>.Shared.Rent(BufferSize);
            Filled(rented, _inner.Read(rented.AsSpan(0, BufferSize)));
        }

        return Count(CopyBuffered(buffer));
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_start < _end)
        {
            return new ValueTask<int>(Count(CopyBuffered(buffer.Span)));
        }

        if (buffer.Length >= BufferSize || buffer.IsEmpty)
        {
            // A caller asking for as much as the buffer holds gains nothing from a copy.
            ValueTask<int> direct = _inner.ReadAsync(buffer, cancellationToken);
            return direct.IsCompletedSuccessfully ? new ValueTask<int>(Count(direct.Result)) : AwaitDirectAsync(direct);
        }

        return ReadBufferedAsync(buffer, cancellationToken);

        async ValueTask<int> AwaitDirectAsync(ValueTask<int> pending) => Count(await pending.ConfigureAwait(false));
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> ReadBufferedAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        // Wait for bytes without a buffer; a stream that does not wait on a zero-byte read returns 0 at once, and the
        // read below waits instead, as it always did.
        await _inner.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
        byte[] rented = ArrayPool<byte>.Shared.Rent(BufferSize);
        Filled(rented, await _inner.ReadAsync(rented.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false));
        return Count(CopyBuffered(destination.Span));
    }

    private void Filled(byte[] buffer, int read)
    {
        _buffer = buffer;
        _start = 0;
        _end = read;
    }

    /// <summary>
    /// Hands out buffered bytes, 0 when the buffer is empty (the read underneath returned 0: end of body), and returns
    /// the buffer to the pool once every byte is handed out.
    /// </summary>
    private int CopyBuffered(Span<byte> destination)
    {
        int count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        if (_start == _end && _buffer is { } drained)
        {
            _buffer = null;
            _start = _end = 0;
            ArrayPool<byte>.Shared.Return(drained);
        }

        return count;
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
