using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamingCodeGeneration;

/// <summary>
/// The mergeable ranks of one encoding: token bytes by rank and an open-addressing hash table from bytes to rank
/// that looks up a <see cref="ReadOnlySpan{T}"/> of bytes without allocating.
/// </summary>
/// <remarks>
/// The embedded resource is written by <c>tools/tokenizer/generate-resources.mjs</c> and is Brotli-compressed:
/// the magic <c>TKR1</c>, a little-endian <see cref="uint"/> count, then for each rank in order one length byte
/// followed by the token's bytes.
/// </remarks>
internal sealed class BpeVocabulary
{
    private const uint Magic = 0x31524B54; // "TKR1"

    private readonly byte[] _data;
    private readonly int[] _offsets;

    // Direct tables for one- and two-byte tokens, the bulk of the lookups during merging: -1 = not a token.
    private readonly int[] _byteRanks = new int[256];
    private readonly int[] _pairRanks = new int[65536];

    // Tokens of three bytes or more, hashed with a fixed function into a cache-line-aligned table.
    private readonly RankTable _table;

    private TokenSuffixIndex? _suffixIndex;

    private BpeVocabulary(byte[] data, int[] offsets)
    {
        _data = data;
        _offsets = offsets;
        _byteRanks.AsSpan().Fill(-1);
        _pairRanks.AsSpan().Fill(-1);
        int longTokens = 0;
        for (int rank = 0; rank < offsets.Length; rank++)
        {
            longTokens += data[offsets[rank] - 1] > 2 ? 1 : 0;
        }

        _table = new RankTable(longTokens, data, offsets);
        for (int rank = 0; rank < offsets.Length; rank++)
        {
            ReadOnlySpan<byte> token = GetTokenBytes(rank);
            if (token.Length == 1)
            {
                _byteRanks[token[0]] = rank;
            }
            else if (token.Length == 2)
            {
                _pairRanks[token[0] | (token[1] << 8)] = rank;
            }
            else
            {
                ulong prefix = ReadPrefix(token);
                _table.Add(token, Hash(token, prefix), prefix, rank);
            }
        }
    }

    /// <summary>Gets the number of ranks.</summary>
    public int Count => _offsets.Length;

    /// <summary>Gets the index of token lengths by last bytes, built on first use (only long pieces need it).</summary>
    public TokenSuffixIndex SuffixIndex => LazyInitializer.EnsureInitialized(ref _suffixIndex, () => new TokenSuffixIndex(this));

    /// <summary>Loads the embedded resource <paramref name="resourceName"/>.</summary>
    /// <exception cref="InvalidOperationException">The resource is missing or malformed.</exception>
    public static BpeVocabulary LoadEmbedded(string resourceName)
    {
        using Stream stream = typeof(BpeVocabulary).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"The tokenizer resource '{resourceName}' is missing from the assembly.");
        using var brotli = new BrotliStream(stream, CompressionMode.Decompress);
        using var buffer = new MemoryStream(capacity: 2 * 1024 * 1024);
        brotli.CopyTo(buffer);
        return Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length).ToArray(), resourceName);
    }

    /// <summary>Returns the rank of <paramref name="token"/>, or -1 when it is not a token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetRank(ReadOnlySpan<byte> token)
    {
        if (token.Length <= 2)
        {
            return token.Length == 2 ? _pairRanks[token[0] | (token[1] << 8)] : token.Length == 1 ? _byteRanks[token[0]] : -1;
        }

        return GetRankHashed(token);
    }

    /// <summary>
    /// Returns the rank of <paramref name="token"/>, or -1 when it is not a token, and a hash of the bytes for
    /// <see cref="MergeCache"/> (0 for keys of up to two bytes, which are never hashed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int GetRank(ReadOnlySpan<byte> token, out uint hash)
    {
        if (token.Length <= 2)
        {
            hash = 0;
            return token.Length == 2 ? _pairRanks[token[0] | (token[1] << 8)] : token.Length == 1 ? _byteRanks[token[0]] : -1;
        }

        return GetRankHashed(token, out hash);
    }

    private int GetRankHashed(ReadOnlySpan<byte> token) => GetRankHashed(token, out _);

    private int GetRankHashed(ReadOnlySpan<byte> token, out uint hash)
    {
        ulong prefix = ReadPrefix(token);
        hash = Hash(token, prefix);
        if (token.Length > byte.MaxValue)
        {
            return -1; // longer than any token
        }

        return _table.Find(token, hash, prefix);
    }

    /// <summary>Returns the bytes of the token with rank <paramref name="rank"/>.</summary>
    public ReadOnlySpan<byte> GetTokenBytes(int rank)
    {
        int offset = _offsets[rank];
        return _data.AsSpan(offset, _data[offset - 1]);
    }

    private static BpeVocabulary Parse(byte[] data, string resourceName)
    {
        if (data.Length < 8 || BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic)
        {
            throw new InvalidOperationException($"The tokenizer resource '{resourceName}' is not in the expected format.");
        }

        int count = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4)));
        var offsets = new int[count];
        int at = 8;
        for (int rank = 0; rank < count; rank++)
        {
            if (at >= data.Length || at + 1 + data[at] > data.Length)
            {
                throw new InvalidOperationException($"The tokenizer resource '{resourceName}' is truncated at rank {rank}.");
            }

            offsets[rank] = at + 1;
            at += 1 + data[at];
        }

        return new BpeVocabulary(data, offsets);
    }

    /// <summary>The first eight bytes of <paramref name="key"/>, zero-padded, little-endian.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadPrefix(ReadOnlySpan<byte> key)
    {
        ref byte start = ref MemoryMarshal.GetReference(key);
        int length = key.Length;
        if (length >= 8)
        {
            return Unsafe.ReadUnaligned<ulong>(ref start);
        }

        if (length >= 4)
        {
            // Two overlapping reads; shift the second so the bytes land in their own positions.
            ulong low = Unsafe.ReadUnaligned<uint>(ref start);
            ulong high = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, length - 4));
            return low | (high << ((length - 4) * 8));
        }

        ulong value = 0;
        for (int i = 0; i < length; i++)
        {
            value |= (ulong)Unsafe.Add(ref start, i) << (i * 8);
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hash(ReadOnlySpan<byte> key, ulong prefix)
    {
        int length = key.Length;
        ulong h = (prefix ^ ((ulong)length * 0x9E3779B97F4A7C15UL)) * 0xFF51AFD7ED558CCDUL;
        if (length > 8)
        {
            ref byte start = ref MemoryMarshal.GetReference(key);
            int i = 8;
            for (; length - i >= 8; i += 8)
            {
                h ^= h >> 32;
                h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, i))) * 0xC4CEB9FE1A85EC53UL;
            }

            if (i < length)
            {
                // The last eight bytes (overlapping what was already mixed in) cover the remainder.
                h ^= h >> 32;
                h = (h ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, length - 8))) * 0xC4CEB9FE1A85EC53UL;
            }
        }

        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9UL;
        return (uint)(h >> 32);
    }
}
