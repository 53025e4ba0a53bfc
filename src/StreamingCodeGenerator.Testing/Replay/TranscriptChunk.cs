using System.Text;

namespace StreamingCodeGeneration.Testing;

/// <summary>Bytes of a recorded response body that arrived together, and how long after the previous ones.</summary>
public sealed class TranscriptChunk
{
    private readonly byte[] _data;

    /// <summary>Creates a chunk from bytes.</summary>
    /// <param name="delay">The time since the previous chunk (for the first, since the headers).</param>
    /// <param name="data">The bytes; copied.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public TranscriptChunk(TimeSpan delay, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        Delay = delay;
        _data = data.ToArray();
    }

    /// <summary>Creates a chunk from text, stored as UTF-8.</summary>
    /// <param name="delay">The time since the previous chunk (for the first, since the headers).</param>
    /// <param name="text">The text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delay"/> is negative.</exception>
    public TranscriptChunk(TimeSpan delay, string text)
        : this(delay, Encoding.UTF8.GetBytes(text ?? throw new ArgumentNullException(nameof(text))))
    {
    }

    /// <summary>Gets the time since the previous chunk (for the first, since the headers).</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets the bytes.</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Gets the bytes decoded as UTF-8 (invalid sequences become U+FFFD).</summary>
    public string Text => Encoding.UTF8.GetString(_data);

    /// <inheritdoc />
    public override string ToString() => $"+{Delay.TotalMilliseconds}ms {Text}";
}
