namespace StreamingCodeGeneration;

/// <summary>A read-only stream that yields bytes already read from <c>inner</c> (to sniff its content) before the rest of it.</summary>
internal sealed class PrefixedStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly byte[] _prefix;
    private int _position;

    public PrefixedStream(byte[] prefix, Stream inner)
    {
        _prefix = prefix;
        _inner = inner;
    }

    public override int Read(Span<byte> buffer)
    {
        if (_position < _prefix.Length)
        {
            return CopyPrefix(buffer);
        }

        return _inner.Read(buffer);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position < _prefix.Length)
        {
            return new ValueTask<int>(CopyPrefix(buffer.Span));
        }

        return _inner.ReadAsync(buffer, cancellationToken);
    }

    private int CopyPrefix(Span<byte> buffer)
    {
        int count = Math.Min(buffer.Length, _prefix.Length - _position);
        _prefix.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        return count;
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
