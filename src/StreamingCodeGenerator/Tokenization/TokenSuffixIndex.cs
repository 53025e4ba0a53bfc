using System.Numerics;

namespace StreamingCodeGeneration;

/// <summary>
/// For the last three bytes of a text, the lengths of the tokens (of three bytes or more) that could end there: a
/// 128-bit set per bucket of a hash of the three bytes (colliding buckets merge their sets, which only costs a
/// wasted lookup). <see cref="AppendableEncoder"/> tries those lengths, longest first, instead of every length up to
/// the longest token's.
/// </summary>
internal sealed class TokenSuffixIndex
{
    private const int BucketBits = 16;

    // Two words per bucket: bit (length - 1) of word 0 for lengths 1..64, of word 1 for lengths 65..128.
    private readonly ulong[] _lengths = new ulong[2 << BucketBits];

    /// <summary>Builds the index of <paramref name="vocabulary"/> (a few milliseconds; done once, on first use).</summary>
    public TokenSuffixIndex(BpeVocabulary vocabulary)
    {
        for (int rank = 0; rank < vocabulary.Count; rank++)
        {
            ReadOnlySpan<byte> token = vocabulary.GetTokenBytes(rank);
            if (token.Length < 3)
            {
                continue;
            }

            if (token.Length > MaxTokenLength)
            {
                throw new InvalidOperationException($"Token {rank} is {token.Length} bytes long; the index holds tokens of up to {MaxTokenLength} bytes.");
            }

            int bucket = Bucket(token[^3], token[^2], token[^1]);
            int bit = token.Length - 1;
            _lengths[(bucket * 2) + (bit >> 6)] |= 1UL << (bit & 63);
        }
    }

    /// <summary>The longest token length the index can hold.</summary>
    public const int MaxTokenLength = 128;

    /// <summary>
    /// Gets the candidate lengths (at least three) of tokens ending in <paramref name="a"/>, <paramref name="b"/>,
    /// <paramref name="c"/>: bit <c>length - 1</c> of <paramref name="low"/> (lengths up to 64) or of
    /// <paramref name="high"/> (<c>length - 65</c>, lengths 65 to 128).
    /// </summary>
    public void GetLengths(byte a, byte b, byte c, out ulong low, out ulong high)
    {
        int bucket = Bucket(a, b, c) * 2;
        low = _lengths[bucket];
        high = _lengths[bucket + 1];
    }

    private static int Bucket(byte a, byte b, byte c)
        => (int)((uint)(a | (b << 8) | (c << 16)) * 0x9E3779B1u >> (32 - BucketBits));

    /// <summary>The longest length in the set, removed from it; 0 when both words are empty.</summary>
    public static int TakeLongest(ref ulong low, ref ulong high)
    {
        if (high != 0)
        {
            int bit = 63 - BitOperations.LeadingZeroCount(high);
            high &= ~(1UL << bit);
            return bit + 65;
        }

        if (low != 0)
        {
            int bit = 63 - BitOperations.LeadingZeroCount(low);
            low &= ~(1UL << bit);
            return bit + 1;
        }

        return 0;
    }
}
