using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace StreamingCodeGeneration;

/// <summary>
/// An open-addressing hash table with linear probing from a token's bytes (three or more) to its rank, in one pinned
/// block whose first slot starts a cache line: four 16-byte slots share a line and no slot straddles two, in every
/// process (an ordinary array starts wherever the heap puts it, 8 bytes into a line in some processes).
/// </summary>
/// <remarks>
/// A slot is the token's first eight bytes (zero-padded), so that a token of up to eight bytes is compared without
/// touching anything else, and a meta word: the high 32 bits the hash, bits 24..31 the length, the low 24 bits the
/// rank + 1 (0 = empty). The hash is <see cref="BpeVocabulary"/>'s fixed function, so the layout is the same in every
/// process.
/// </remarks>
internal sealed class RankTable
{
    private const int CacheLine = 64;
    private const int WordsPerSlot = 2;

    // The slots, as pairs of 8-byte words in a pinned array (which the heap aligns to 8 bytes only), from _first on.
    private readonly ulong[] _words;
    private readonly int _first;
    private readonly int _mask;
    private readonly byte[] _data;
    private readonly int[] _offsets;

    /// <summary>Creates an empty table for <paramref name="count"/> tokens, at most half full.</summary>
    /// <param name="count">The number of tokens that will be added.</param>
    /// <param name="data">The token bytes, shared with the vocabulary.</param>
    /// <param name="offsets">The offset of each rank's bytes in <paramref name="data"/>.</param>
    public RankTable(int count, byte[] data, int[] offsets)
    {
        int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, 4) * 2);
        _words = GC.AllocateArray<ulong>((capacity * WordsPerSlot) + (CacheLine / sizeof(ulong)), pinned: true);
        long misalignment = Marshal.UnsafeAddrOfPinnedArrayElement(_words, 0) % CacheLine;
        _first = misalignment == 0 ? 0 : (int)((CacheLine - misalignment) / sizeof(ulong));
        _mask = capacity - 1;
        _data = data;
        _offsets = offsets;
    }

    private ref Slot FirstSlot
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.As<ulong, Slot>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_words), _first));
    }

    /// <summary>Gets the address of the first slot modulo a cache line: 0 in every process.</summary>
    internal long FirstSlotMisalignment => Marshal.UnsafeAddrOfPinnedArrayElement(_words, _first) % CacheLine;

    /// <summary>Gets the table's size in bytes.</summary>
    public long Bytes => (long)(_mask + 1) * Unsafe.SizeOf<Slot>();

    /// <summary>Adds <paramref name="token"/> (not already present) with <paramref name="rank"/>.</summary>
    public void Add(ReadOnlySpan<byte> token, uint hash, ulong prefix, int rank)
    {
        ref Slot first = ref FirstSlot;
        int slot = (int)hash & _mask;
        while (Unsafe.Add(ref first, slot).Meta != 0)
        {
            slot = (slot + 1) & _mask;
        }

        Unsafe.Add(ref first, slot) = new Slot(((ulong)hash << 32) | ((uint)token.Length << 24) | (uint)(rank + 1), prefix);
    }

    /// <summary>Returns the rank of <paramref name="token"/> (three to 255 bytes), or -1 when it is not in the table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ReadOnlySpan<byte> token, uint hash, ulong prefix)
    {
        ulong expected = ((ulong)hash << 32) | ((uint)token.Length << 24);
        ref Slot first = ref FirstSlot;
        int mask = _mask;
        int slot = (int)hash & mask;
        while (true)
        {
            ref Slot entry = ref Unsafe.Add(ref first, slot);
            ulong meta = entry.Meta;
            if (meta == 0)
            {
                return -1;
            }

            if ((meta & 0xFFFF_FFFF_FF00_0000UL) == expected && entry.Prefix == prefix)
            {
                int rank = (int)(meta & 0xFF_FFFF) - 1;
                if (token.Length <= 8 || token[8..].SequenceEqual(_data.AsSpan(_offsets[rank] + 8, token.Length - 8)))
                {
                    return rank;
                }
            }

            slot = (slot + 1) & mask;
        }
    }

    private readonly record struct Slot(ulong Meta, ulong Prefix);
}
