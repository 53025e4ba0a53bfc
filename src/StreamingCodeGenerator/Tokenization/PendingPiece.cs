using System.Text;

namespace StreamingCodeGeneration;

/// <summary>
/// A long piece of <see cref="IncrementalTokenCounter"/>'s undecided tail, encoded as it grows: its characters are
/// fed once, as UTF-8, to an <see cref="AppendableEncoder"/>, which knows the token count of every prefix, so the
/// piece's count is at hand whether it grows, stops or turns out shorter than the text it was fed.
/// </summary>
internal sealed class PendingPiece
{
    private int[] _byteEnds = new int[64];

    /// <summary>Initializes a new instance of the <see cref="PendingPiece"/> class.</summary>
    public PendingPiece(BpeVocabulary vocabulary) => Encoder = new AppendableEncoder(vocabulary);

    /// <summary>Gets the encoder of the piece's bytes.</summary>
    public AppendableEncoder Encoder { get; }

    /// <summary>Gets or sets the absolute offset of the piece's first character in the stream.</summary>
    public long Start { get; set; }

    /// <summary>Gets the number of characters fed.</summary>
    public int FedChars { get; private set; }

    /// <summary>Gets or sets a value indicating whether the last count of the tail used this piece.</summary>
    public bool Used { get; set; }

    /// <summary>Starts over for a piece at <paramref name="start"/>.</summary>
    public void Reset(long start)
    {
        Start = start;
        FedChars = 0;
        Used = false;
        Encoder.Clear();
        if (_byteEnds.Length > 4096)
        {
            _byteEnds = new int[64];
        }
    }

    /// <summary>
    /// Feeds the next characters of the piece; they never end with a high surrogate whose low half may still come
    /// (a lone surrogate inside them is U+FFFD, as in tiktoken).
    /// </summary>
    public void Feed(ReadOnlySpan<char> chars)
    {
        if (FedChars + chars.Length > _byteEnds.Length)
        {
            Array.Resize(ref _byteEnds, Math.Max(FedChars + chars.Length, _byteEnds.Length * 2));
        }

        Span<byte> utf8 = stackalloc byte[256];
        int pending = 0;
        int bytes = Encoder.Length;
        for (int i = 0; i < chars.Length; i++)
        {
            if (pending > utf8.Length - 4)
            {
                Encoder.Append(utf8[..pending]);
                pending = 0;
            }

            char c = chars[i];
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                pending += new Rune(c, chars[i + 1]).EncodeToUtf8(utf8[pending..]);
                bytes += 4;
                _byteEnds[FedChars + i] = -1; // inside a code point: never a piece boundary
                i++;
            }
            else
            {
                Rune rune = char.IsSurrogate(c) ? Rune.ReplacementChar : new Rune(c);
                int written = rune.EncodeToUtf8(utf8[pending..]);
                pending += written;
                bytes += written;
            }

            _byteEnds[FedChars + i] = bytes;
        }

        Encoder.Append(utf8[..pending]);
        FedChars += chars.Length;
    }

    /// <summary>Returns the token count of the first <paramref name="chars"/> characters fed.</summary>
    public int CountAt(int chars) => chars == 0 ? 0 : Encoder.CountAt(_byteEnds[chars - 1]);

    /// <summary>
    /// Returns the token count of all characters fed followed by a high surrogate that is, for now, alone (U+FFFD);
    /// the encoder is left as it was.
    /// </summary>
    public int CountWithLoneHighSurrogate()
    {
        int length = Encoder.Length;
        Encoder.Append("\uFFFD"u8);
        int count = Encoder.Count;
        Encoder.Truncate(length);
        return count;
    }
}
