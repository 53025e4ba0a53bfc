using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration;

/// <summary>
/// A small direct-mapped cache from a piece's bytes to its merge result (token boundaries), per thread and encoding.
/// Real text repeats the same words and identifiers, so most pieces that are not whole tokens skip the byte-pair
/// merge. Preallocated: a hit or a miss allocates nothing. Only pieces of up to <see cref="MaxKeyLength"/> bytes
/// are cached.
/// </summary>
internal sealed class MergeCache
{
    /// <summary>The longest piece, in bytes, that is cached.</summary>
    public const int MaxKeyLength = 24;

    private const int Size = 4096;

    private readonly uint[] _hashes = new uint[Size];
    private readonly byte[] _lengths = new byte[Size]; // 0 = empty
    private readonly byte[] _counts = new byte[Size];
    private readonly byte[] _keys = new byte[Size * MaxKeyLength];
    private readonly byte[] _boundaries = new byte[Size * (MaxKeyLength + 1)];

    /// <summary>Looks up <paramref name="piece"/>; on a hit writes its boundaries to <paramref name="boundaries"/>.</summary>
    /// <returns>The number of tokens, or 0 on a miss.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int TryGet(ReadOnlySpan<byte> piece, uint hash, Span<int> boundaries)
    {
        int slot = (int)(hash & (Size - 1));
        if (_hashes[slot] != hash || _lengths[slot] != piece.Length
            || !piece.SequenceEqual(_keys.AsSpan(slot * MaxKeyLength, piece.Length)))
        {
            return 0;
        }

        int count = _counts[slot];
        ReadOnlySpan<byte> stored = _boundaries.AsSpan(slot * (MaxKeyLength + 1), count + 1);
        for (int i = 0; i < stored.Length; i++)
        {
            boundaries[i] = stored[i];
        }

        return count;
    }

    /// <summary>Stores the merge result of <paramref name="piece"/> (at most <see cref="MaxKeyLength"/> bytes).</summary>
    public void Add(ReadOnlySpan<byte> piece, uint hash, ReadOnlySpan<int> boundaries)
    {
        int slot = (int)(hash & (Size - 1));
        _hashes[slot] = hash;
        _lengths[slot] = (byte)piece.Length;
        _counts[slot] = (byte)(boundaries.Length - 1);
        piece.CopyTo(_keys.AsSpan(slot * MaxKeyLength));
        Span<byte> stored = _boundaries.AsSpan(slot * (MaxKeyLength + 1), boundaries.Length);
        for (int i = 0; i < boundaries.Length; i++)
        {
            stored[i] = (byte)boundaries[i];
        }
    }
}
