namespace StreamingCodeGeneration;

/// <summary>
/// A growable run of characters held between deltas (a possible fence line, an unfinished line or word, the
/// undecided tail of the token count). A mutable struct kept in a field: grows by doubling, never shrinks, and
/// allocates only when it must grow.
/// </summary>
internal struct CharBuffer
{
    private char[]? _chars;
    private int _length;

    /// <summary>The number of characters held.</summary>
    public readonly int Length => _length;

    /// <summary>The characters held.</summary>
    public readonly ReadOnlySpan<char> Span => _chars.AsSpan(0, _length);

    /// <summary>The last character held; only when <see cref="Length"/> is positive.</summary>
    public readonly char Last => _chars![_length - 1];

    public void Append(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        int needed = _length + text.Length;
        if (_chars is null || _chars.Length < needed)
        {
            char[] larger = new char[Math.Max(needed, Math.Max(64, (_chars?.Length ?? 0) * 2))];
            Span.CopyTo(larger);
            _chars = larger;
        }

        text.CopyTo(_chars.AsSpan(_length));
        _length = needed;
    }

    /// <summary>Drops the first <paramref name="count"/> characters, keeping the rest.</summary>
    public void RemoveStart(int count)
    {
        if (count <= 0)
        {
            return;
        }

        _chars.AsSpan(count, _length - count).CopyTo(_chars);
        _length -= count;
    }

    public void Clear() => _length = 0;

    /// <summary>The characters held, then <paramref name="more"/>, as one string; the buffer is emptied.</summary>
    public string TakeWith(ReadOnlySpan<char> more)
    {
        string text = string.Concat(Span, more);
        _length = 0;
        return text;
    }

    /// <summary>The characters held as a string; the buffer is emptied.</summary>
    public string Take()
    {
        string text = Span.ToString();
        _length = 0;
        return text;
    }
}
