using System.Text;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The last <c>capacity</c> bytes of a process's output, kept as they arrive (a ring), with the total counted: a check
/// that prints gigabytes costs the run no more memory than the capacity. Thread-safe (standard output and standard
/// error may write at once).
/// </summary>
internal sealed class OutputTail(int capacity)
{
    private readonly byte[] _ring = new byte[capacity];
    private readonly Lock _gate = new();
    private long _total;
    private int _length;
    private int _next;

    /// <summary>Gets how many bytes arrived in all.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public void Append(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _total += bytes.Length;
            if (bytes.Length >= _ring.Length)
            {
                bytes[^_ring.Length..].CopyTo(_ring);
                _next = 0;
                _length = _ring.Length;
                return;
            }

            int first = Math.Min(bytes.Length, _ring.Length - _next);
            bytes[..first].CopyTo(_ring.AsSpan(_next));
            bytes[first..].CopyTo(_ring);
            _next = (_next + bytes.Length) % _ring.Length;
            _length = Math.Min(_ring.Length, _length + bytes.Length);
        }
    }

    /// <summary>The kept bytes as text (invalid UTF-8, such as a character cut at the start, becomes U+FFFD).</summary>
    public string GetText()
    {
        lock (_gate)
        {
            if (_length < _ring.Length)
            {
                return Encoding.UTF8.GetString(_ring, 0, _length);
            }

            byte[] ordered = new byte[_ring.Length];
            _ring.AsSpan(_next).CopyTo(ordered);
            _ring.AsSpan(0, _next).CopyTo(ordered.AsSpan(_ring.Length - _next));
            return Encoding.UTF8.GetString(ordered);
        }
    }
}
