using System.Diagnostics;

namespace StreamingCodeGeneration;

/// <summary>
/// tiktoken's byte-pair encoding of a growing byte string, one byte at a time in amortized constant time: for every
/// prefix it keeps the last token of that prefix's encoding and the prefix's token count, so the count of the whole
/// string, or of any prefix of it, is known after every byte.
/// </summary>
/// <remarks>
/// <para>
/// This is the appendable encoder of GitHub's <c>bpe</c> crate (rust-gems), with tiktoken's own merge as the test of
/// whether two tokens may stand next to each other. Write <c>E(x)</c> for tiktoken's merge of the bytes <c>x</c>
/// (repeatedly merge the adjacent pair whose concatenation has the lowest rank, the leftmost on a tie).
/// </para>
/// <list type="number">
/// <item><description>
/// If a boundary survives the whole merge of <c>x = a + b</c>, then <c>E(x) = E(a) + E(b)</c>: each merge on one side
/// was the lowest-ranked pair of all, so also of its side, in the same order as merging that side alone. Hence any run
/// of consecutive tokens of an encoding is the encoding of its own bytes.
/// </description></item>
/// <item><description>
/// If <c>E(a)</c> ends with token <c>u</c> and <c>E(u + t) = [u, t]</c>, then <c>E(a + t) = E(a) + [t]</c>: the first
/// merge across either end of <c>u</c> would have been the lowest-ranked pair of all, so also in <c>E(a)</c> or in
/// <c>E(u + t)</c>, where it never happens.
/// </description></item>
/// </list>
/// <para>
/// So the last token of a prefix is the one token ending there whose predecessor (the last token of the prefix before
/// it) is compatible with it, and any compatible candidate is that token; the candidates are at most the longest token
/// long. Compatibility of a pair is decided by running the merge on the pair's bytes (at most 256), remembered in a
/// small cache. Every token of o200k_base and cl100k_base merges to itself, which the tests check.
/// </para>
/// <para>Not thread-safe.</para>
/// </remarks>
internal sealed class AppendableEncoder
{
    private const int CacheBits = 13;

    private readonly BpeVocabulary _vocabulary;
    private readonly TokenSuffixIndex _suffixes;

    // Pair verdicts: (left + 1) << 32 | right << 1 | compatible; 0 = empty.
    private readonly ulong[] _pairCache = new ulong[1 << CacheBits];
    private readonly byte[] _pairBytes = new byte[2 * TokenSuffixIndex.MaxTokenLength];
    private readonly int[] _pairWork = new int[2 * ((2 * TokenSuffixIndex.MaxTokenLength) + 1)];

    private byte[] _bytes = new byte[256];
    private int[] _lastTokens = new int[256];
    private int[] _counts = new int[256];
    private int _length;

    /// <summary>Initializes a new instance of the <see cref="AppendableEncoder"/> class.</summary>
    public AppendableEncoder(BpeVocabulary vocabulary)
    {
        _vocabulary = vocabulary;
        _suffixes = vocabulary.SuffixIndex;
    }

    /// <summary>Gets the number of bytes appended.</summary>
    public int Length => _length;

    /// <summary>Gets the number of tokens of all bytes appended.</summary>
    public int Count => CountAt(_length);

    /// <summary>Returns the number of tokens of the first <paramref name="length"/> bytes.</summary>
    public int CountAt(int length) => length == 0 ? 0 : _counts[length - 1];

    /// <summary>Forgets every byte; the buffers are kept unless they grew beyond <paramref name="keepCapacity"/>.</summary>
    public void Clear(int keepCapacity = 4096)
    {
        _length = 0;
        if (_bytes.Length > keepCapacity)
        {
            _bytes = new byte[256];
            _lastTokens = new int[256];
            _counts = new int[256];
        }
    }

    /// <summary>Forgets the bytes after the first <paramref name="length"/>.</summary>
    public void Truncate(int length)
    {
        Debug.Assert(length >= 0 && length <= _length, "Truncate only shortens.");
        _length = length;
    }

    /// <summary>Appends <paramref name="bytes"/>.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _bytes.Length)
        {
            int capacity = Math.Max(_length + bytes.Length, _bytes.Length * 2);
            Array.Resize(ref _bytes, capacity);
            Array.Resize(ref _lastTokens, capacity);
            Array.Resize(ref _counts, capacity);
        }

        foreach (byte value in bytes)
        {
            Push(value);
        }
    }

    private void Push(byte value)
    {
        int end = _length + 1;
        byte[] bytes = _bytes;
        bytes[_length] = value;

        // Most often the last token grows by the new byte (inside a word, or along a run of one character): try that first.
        int guess = end >= 2 ? _vocabulary.GetTokenBytes(_lastTokens[end - 2]).Length + 1 : 0;
        if (guess is >= 2 and <= TokenSuffixIndex.MaxTokenLength && guess <= end && TryTake(end, guess))
        {
            return;
        }

        if (end >= 3)
        {
            _suffixes.GetLengths(bytes[end - 3], bytes[end - 2], value, out ulong low, out ulong high);
            // Only lengths up to end.
            if (end < 64)
            {
                low &= (1UL << end) - 1;
                high = 0;
            }
            else if (end < 128)
            {
                high &= (1UL << (end - 64)) - 1;
            }

            low &= ~3UL; // lengths 1 and 2 are tried below
            int length;
            while ((length = TokenSuffixIndex.TakeLongest(ref low, ref high)) != 0)
            {
                if (length != guess && TryTake(end, length))
                {
                    return;
                }
            }
        }

        if ((end >= 2 && guess != 2 && TryTake(end, 2)) || TryTake(end, 1))
        {
            return;
        }

        throw new UnreachableException("No token ends the prefix compatibly; the byte-pair encoding of the prefix is undefined.");
    }

    private bool TryTake(int end, int length)
    {
        int start = end - length;
        int rank = _vocabulary.GetRank(_bytes.AsSpan(start, length));
        if (rank < 0)
        {
            return false;
        }

        int count;
        if (start == 0)
        {
            count = 1; // the prefix is a token, and every token merges to itself
        }
        else if (Compatible(_lastTokens[start - 1], rank))
        {
            count = _counts[start - 1] + 1;
        }
        else
        {
            return false;
        }

        _lastTokens[end - 1] = rank;
        _counts[end - 1] = count;
        _length = end;
        return true;
    }

    /// <summary>Whether tiktoken's merge of the two tokens' bytes gives back exactly those two tokens.</summary>
    private bool Compatible(int left, int right)
    {
        ulong key = ((ulong)(uint)(left + 1) << 32) | ((uint)right << 1);
        int slot = (int)((((ulong)(uint)left * 0x9E3779B97F4A7C15UL) ^ (uint)right) * 0xFF51AFD7ED558CCDUL >> (64 - CacheBits)) & ~1;
        ulong first = _pairCache[slot];
        if ((first & ~1UL) == key)
        {
            return (first & 1) != 0;
        }

        ulong second = _pairCache[slot + 1];
        if ((second & ~1UL) == key)
        {
            return (second & 1) != 0;
        }

        ReadOnlySpan<byte> leftBytes = _vocabulary.GetTokenBytes(left);
        ReadOnlySpan<byte> rightBytes = _vocabulary.GetTokenBytes(right);
        leftBytes.CopyTo(_pairBytes);
        rightBytes.CopyTo(_pairBytes.AsSpan(leftBytes.Length));
        int count = BytePairMerger.Merge(_vocabulary, _pairBytes.AsSpan(0, leftBytes.Length + rightBytes.Length), _pairWork);
        bool compatible = count == 2 && _pairWork[1] == leftBytes.Length;
        // Two ways: the newer verdict goes first, the older one moves to the second way.
        _pairCache[slot + 1] = first;
        _pairCache[slot] = key | (compatible ? 1UL : 0UL);
        return compatible;
    }
}
