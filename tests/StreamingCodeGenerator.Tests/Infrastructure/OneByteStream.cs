namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>
/// A read-only stream over fixed bytes that returns at most <see cref="MaxRead"/> bytes per read (one by default), the
/// way a slow network delivers a body: parsers must give the same result however the bytes are cut.
/// </summary>
public sealed class OneByteStream : Stream
{
    private readonly byte[] _data;
    private int _position;

    public OneByteStream(byte[] data, int maxRead = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRead);
        _data = data;
        MaxRead = maxRead;
    }

    /// <summary>The most bytes one read returns.</summary>
    public int MaxRead { get; }

    /// <summary>How many bytes have been read so far.</summary>
    public int BytesRead => _position;

    /// <summary>Whether asynchronous reads complete asynchronously (after a yield), as network reads usually do.</summary>
    public bool YieldOnAsyncRead { get; init; }

    /// <summary>How many reads returned data.</summary>
    public int Reads { get; private set; }

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
        int count = Math.Min(Math.Min(buffer.Length, MaxRead), _data.Length - _position);
        _data.AsSpan(_position, count).CopyTo(buffer);
        _position += count;
        if (count > 0)
        {
            Reads++;
        }

        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return YieldOnAsyncRead ? ReadAfterYieldAsync(buffer) : new ValueTask<int>(Read(buffer.Span));
    }

    private async ValueTask<int> ReadAfterYieldAsync(Memory<byte> buffer)
    {
        await Task.Yield();
        return Read(buffer.Span);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
