using System.Buffers;

namespace StreamingCodeGeneration;

/// <summary>
/// tiktoken's byte-pair merge: repeatedly merge the adjacent pair whose concatenation has the lowest rank, the
/// leftmost pair on a tie, until no adjacent pair is a token. Short pieces use tiktoken's array scan; long pieces
/// use a linked list and a binary heap keyed by (rank, position), which merges in the same order in O(n log n).
/// </summary>
internal static class BytePairMerger
{
    /// <summary>Pieces up to this many bytes use the quadratic array scan, which is faster for short input.</summary>
    internal const int ArrayMergeMaxLength = 96;

    /// <summary>
    /// Merges <paramref name="piece"/> (at least two bytes, not itself a token) and writes the start of each token
    /// followed by <c>piece.Length</c> to the start of <paramref name="work"/>, which needs
    /// <c>2 * (piece.Length + 1)</c> entries.
    /// </summary>
    /// <returns>The number of tokens.</returns>
    public static int Merge(BpeVocabulary vocabulary, ReadOnlySpan<byte> piece, Span<int> work)
        => piece.Length <= ArrayMergeMaxLength
            ? ArrayMerge(vocabulary, piece, work)
            : HeapMerge(vocabulary, piece, work);

    private static int ArrayMerge(BpeVocabulary vocabulary, ReadOnlySpan<byte> piece, Span<int> work)
    {
        int n = piece.Length;
        Span<int> starts = work[..(n + 1)];
        Span<int> ranks = work.Slice(n + 1, n + 1);

        // parts[i] = (starts[i], ranks[i]); ranks[i] is the rank of parts i and i + 1 merged.
        for (int i = 0; i < n - 1; i++)
        {
            starts[i] = i;
            ranks[i] = RankOrMax(vocabulary, piece.Slice(i, 2));
        }

        starts[n - 1] = n - 1;
        ranks[n - 1] = int.MaxValue;
        starts[n] = n;
        ranks[n] = int.MaxValue;
        int count = n + 1;

        while (true)
        {
            int minRank = int.MaxValue;
            int min = -1;
            for (int i = 0; i < count - 1; i++)
            {
                if (ranks[i] < minRank)
                {
                    minRank = ranks[i];
                    min = i;
                }
            }

            if (min < 0)
            {
                break;
            }

            // Merge parts min and min + 1; the pair ranks of min - 1 and min change.
            if (min > 0)
            {
                ranks[min - 1] = PairRank(vocabulary, piece, starts, count, min - 1);
            }

            ranks[min] = PairRank(vocabulary, piece, starts, count, min);
            starts.Slice(min + 2, count - min - 2).CopyTo(starts.Slice(min + 1));
            ranks.Slice(min + 2, count - min - 2).CopyTo(ranks.Slice(min + 1));
            count--;
        }

        return count - 1;

        // The rank of parts i and i + 1 once i + 1 and i + 2 have merged (tiktoken's get_rank, before the removal).
        static int PairRank(BpeVocabulary vocabulary, ReadOnlySpan<byte> piece, Span<int> starts, int count, int i)
            => i + 3 < count ? RankOrMax(vocabulary, piece[starts[i]..starts[i + 3]]) : int.MaxValue;
    }

    private static int HeapMerge(BpeVocabulary vocabulary, ReadOnlySpan<byte> piece, Span<int> boundaries)
    {
        int n = piece.Length;

        // Parts are identified by their start offset; next/prev link the live parts.
        int[] next = ArrayPool<int>.Shared.Rent(n + 1);
        int[] prev = ArrayPool<int>.Shared.Rent(n + 1);
        int[] rank = ArrayPool<int>.Shared.Rent(n + 1);
        long[] heap = ArrayPool<long>.Shared.Rent((3 * n) + 1);
        try
        {
            int heapCount = 0;
            for (int i = 0; i < n; i++)
            {
                next[i] = i + 1;
                prev[i] = i - 1;
            }

            for (int i = 0; i < n - 1; i++)
            {
                int r = RankOrMax(vocabulary, piece.Slice(i, 2));
                rank[i] = r;
                if (r != int.MaxValue)
                {
                    heap[heapCount++] = Key(r, i);
                }
            }

            rank[n - 1] = int.MaxValue;
            for (int i = (heapCount / 2) - 1; i >= 0; i--)
            {
                SiftDown(heap, heapCount, i);
            }

            while (heapCount > 0)
            {
                long top = heap[0];
                heap[0] = heap[--heapCount];
                SiftDown(heap, heapCount, 0);

                int at = (int)(uint)top;
                int topRank = (int)(top >> 32);
                if (rank[at] != topRank)
                {
                    continue; // stale: the part was merged away or its pair changed
                }

                // Merge part `at` with the next part.
                int removed = next[at];
                int after = next[removed];
                next[at] = after;
                if (after < n)
                {
                    prev[after] = at;
                }

                rank[removed] = -1;
                rank[at] = after < n ? RankOrMax(vocabulary, piece[at..next[after]]) : int.MaxValue;
                if (rank[at] != int.MaxValue)
                {
                    Push(heap, ref heapCount, Key(rank[at], at));
                }

                int before = prev[at];
                if (before >= 0)
                {
                    rank[before] = RankOrMax(vocabulary, piece[before..after]);
                    if (rank[before] != int.MaxValue)
                    {
                        Push(heap, ref heapCount, Key(rank[before], before));
                    }
                }
            }

            int count = 0;
            for (int i = 0; i < n; i = next[i])
            {
                boundaries[count++] = i;
            }

            boundaries[count] = n;
            return count;
        }
        finally
        {
            ArrayPool<long>.Shared.Return(heap);
            ArrayPool<int>.Shared.Return(rank);
            ArrayPool<int>.Shared.Return(prev);
            ArrayPool<int>.Shared.Return(next);
        }

        static long Key(int rank, int position) => ((long)rank << 32) | (uint)position;
    }

    private static void Push(long[] heap, ref int count, long key)
    {
        int i = count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (heap[parent] <= key)
            {
                break;
            }

            heap[i] = heap[parent];
            i = parent;
        }

        heap[i] = key;
    }

    private static void SiftDown(long[] heap, int count, int i)
    {
        long key = heap[i];
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= count)
            {
                break;
            }

            if (child + 1 < count && heap[child + 1] < heap[child])
            {
                child++;
            }

            if (heap[child] >= key)
            {
                break;
            }

            heap[i] = heap[child];
            i = child;
        }

        heap[i] = key;
    }

    private static int RankOrMax(BpeVocabulary vocabulary, ReadOnlySpan<byte> bytes)
    {
        int rank = vocabulary.GetRank(bytes);
        return rank < 0 ? int.MaxValue : rank;
    }
}
