namespace StreamingCodeGeneration;

/// <summary>
/// Wraps a response body and fails once a single server-sent event (the bytes between two blank lines) grows past a
/// limit, so a hostile or broken server cannot make us buffer without bound. Every byte is looked at once, with a
/// vectorised search for line ends.
/// </summary>
internal sealed class BoundedEventStream : Stream
{
    private const byte CR = (byte)'\r';
    private const byte LF = (byte)'\n';

    private readonly Stream _inner;
    private readonly int _maxEventSize;
    private long _eventBytes;
    private int _lineLength;
    private bool _lastWasCR;

    public BoundedEventStream(Stream inner, int maxEventSize)
    {
        _inner = inner;
        _maxEventSize = maxEventSize;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = _inner.Read(buffer);
        Track(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Track(buffer.Span[..read]);
        return read;
    }

    private void Track(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int index = data.IndexOfAny(CR, LF);
            if (index < 0)
            {
                _lineLength += data.Length;
                _eventBytes += data.Length;
                _lastWasCR = false;
                break;
            }

            if (index > 0)
            {
                _lineLength += index;
                _eventBytes += index;
                _lastWasCR = false;
            }

            byte newline = data[index];
            _eventBytes++;
            if (newline == LF && _lastWasCR)
            {
                // The LF of a CRLF pair: the CR already ended the line.
                _lastWasCR = false;
            }
            else
            {
                // Spec: "If the line is empty (a blank line) — Dispatch the event".
                if (_lineLength == 0)
                {
                    _eventBytes = 0;
                }

                _lineLength = 0;
                _lastWasCR = newline == CR;
            }

            data = data[(index + 1)..];
        }

        if (_eventBytes > _maxEventSize)
        {
            throw new SseProtocolException(
                $"A server-sent event exceeded the maximum event size of {_maxEventSize} bytes (StreamingCodeGeneratorOptions.MaxEventSize).",
                default,
                SecretRedactor.Default);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
