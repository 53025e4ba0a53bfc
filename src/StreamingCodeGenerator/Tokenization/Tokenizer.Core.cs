using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace StreamingCodeGeneration;

/// <content>The single encoding loop behind the public methods, and the hooks for <see cref="IncrementalTokenCounter"/>.</content>
public sealed partial class Tokenizer
{
    [ThreadStatic]
    private static PieceScratch? t_scratch;

    /// <summary>Gets the rank table.</summary>
    internal BpeVocabulary Vocabulary => _vocabulary;

    /// <summary>
    /// Counts the ordinary tokens of <paramref name="text"/> and splits the count at the end of the last piece that
    /// is final: a piece whose match never looked at or past the end of <paramref name="text"/> (see
    /// <see cref="PreTokenizer"/>) is identical in every continuation of the text.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="stableEnd">The char index where the final pieces end.</param>
    /// <param name="stableTokens">The number of tokens of <c>text[..stableEnd]</c>.</param>
    /// <returns>The number of tokens of the pieces after <paramref name="stableEnd"/>.</returns>
    internal int CountWithStablePrefix(ReadOnlySpan<char> text, out int stableEnd, out int stableTokens)
    {
        PieceScratch scratch = t_scratch ??= new PieceScratch();
        MergeCache cache = scratch.GetCache(Encoding);
        BpeVocabulary vocabulary = _vocabulary;
        var sink = new TokenCountSink();
        bool hitEnd = false;
        stableEnd = 0;
        stableTokens = 0;
        int start = 0;
        while (start < text.Length)
        {
            int end = _isO200k ? PreTokenizer.NextO200k(text, start, ref hitEnd) : PreTokenizer.NextCl100k(text, start, ref hitEnd);
            ReadOnlySpan<char> chars = text[start..end];
            // Pending pieces are often half a word: keep them out of the merge cache.
            _ = chars.Length <= PieceScratch.MaxChars
                ? EncodePiece(vocabulary, chars, scratch.Bytes, scratch.Work, hitEnd ? null : cache, 0, start, end, ref sink)
                : EncodeLongPiece(vocabulary, chars, 0, start, end, ref sink);
            if (!hitEnd)
            {
                stableEnd = end;
                stableTokens = sink.Count;
            }

            start = end;
        }

        return sink.Count - stableTokens;
    }

    /// <summary>The single encoding loop behind every public method.</summary>
    /// <returns><see langword="false"/> when the sink stopped early.</returns>
    internal bool Encode<TSink>(ReadOnlySpan<char> text, bool allowSpecialTokens, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        if (!allowSpecialTokens)
        {
            return EncodeOrdinary(text, 0, ref sink);
        }

        int position = 0;
        while (true)
        {
            int found = FindSpecialToken(text, position, out SpecialToken special);
            if (found < 0)
            {
                return EncodeOrdinary(text[position..], position, ref sink);
            }

            if (!EncodeOrdinary(text[position..found], position, ref sink))
            {
                return false;
            }

            position = found + special.Text.Length;
            if (!sink.OnToken(special.Id, position))
            {
                return false;
            }
        }
    }

    private bool EncodeOrdinary<TSink>(ReadOnlySpan<char> text, int offset, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        // Per-thread scratch instead of stackalloc: no zeroing per call, which matters for the incremental counter.
        PieceScratch scratch = t_scratch ??= new PieceScratch();
        MergeCache cache = scratch.GetCache(Encoding);
        BpeVocabulary vocabulary = _vocabulary;
        bool hitEnd = false;
        int start = 0;
        while (start < text.Length)
        {
            int end = _isO200k ? PreTokenizer.NextO200k(text, start, ref hitEnd) : PreTokenizer.NextCl100k(text, start, ref hitEnd);
            ReadOnlySpan<char> chars = text[start..end];
            bool stop = chars.Length <= PieceScratch.MaxChars
                ? !EncodePiece(vocabulary, chars, scratch.Bytes, scratch.Work, cache, offset, start, end, ref sink)
                : !EncodeLongPiece(vocabulary, chars, offset, start, end, ref sink);
            if (stop)
            {
                return false;
            }

            start = end;
        }

        return true;
    }

    private static bool EncodeLongPiece<TSink>(BpeVocabulary vocabulary, ReadOnlySpan<char> chars, int offset, int start, int end, ref TSink sink)
        where TSink : struct, ITokenSink
    {
        int maxBytes = chars.Length * 3;
        byte[] bytes = ArrayPool<byte>.Shared.Rent(maxBytes);
        int[] work = ArrayPool<int>.Shared.Rent(2 * (maxBytes + 1));
        try
        {
            return EncodePiece(vocabulary, chars, bytes, work, cache: null, offset, start, end, ref sink);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(work);
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool EncodePiece<TSink>(
        BpeVocabulary vocabulary,
        ReadOnlySpan<char> chars,
        Span<byte> bytes,
        Span<int> work,
        MergeCache? cache,
        int offset,
        int start,
        int end,
        ref TSink sink)
        where TSink : struct, ITokenSink
    {
        ReadOnlySpan<byte> piece = bytes[..ToUtf8(chars, bytes)];
        int rank = vocabulary.GetRank(piece, out uint hash);
        if (rank >= 0)
        {
            return sink.OnToken(rank, offset + end);
        }

        int count;
        if (cache is not null && piece.Length > 2 && piece.Length <= MergeCache.MaxKeyLength)
        {
            count = cache.TryGet(piece, hash, work);
            if (count == 0)
            {
                count = BytePairMerger.Merge(vocabulary, piece, work);
                cache.Add(piece, hash, work[..(count + 1)]);
            }
        }
        else
        {
            count = BytePairMerger.Merge(vocabulary, piece, work);
        }

        return sink.OnTokens(vocabulary, piece, work[..(count + 1)], chars, offset + start);
    }

    /// <summary>UTF-8 encodes a piece; a lone surrogate becomes EF BF BD (U+FFFD), as in tiktoken.</summary>
    private static int ToUtf8(ReadOnlySpan<char> chars, Span<byte> bytes)
    {
        for (int i = 0; i < chars.Length; i++)
        {
            char c = chars[i];
            if (c >= 0x80)
            {
                Utf8.FromUtf16(chars[i..], bytes[i..], out _, out int written, replaceInvalidSequences: true, isFinalBlock: true);
                return i + written;
            }

            bytes[i] = (byte)c;
        }

        return chars.Length;
    }

    private int FindSpecialToken(ReadOnlySpan<char> text, int position, out SpecialToken special)
    {
        while (position < text.Length)
        {
            int found = text[position..].IndexOf("<|".AsSpan(), StringComparison.Ordinal);
            if (found < 0)
            {
                break;
            }

            found += position;
            foreach (SpecialToken candidate in _specialTokens)
            {
                if (text[found..].StartsWith(candidate.Text.AsSpan(), StringComparison.Ordinal))
                {
                    special = candidate;
                    return found;
                }
            }

            position = found + 1;
        }

        special = default;
        return -1;
    }

    private ReadOnlySpan<byte> GetTokenBytes(int id, out string? special)
    {
        special = null;
        if ((uint)id < (uint)_vocabulary.Count)
        {
            return _vocabulary.GetTokenBytes(id);
        }

        foreach (SpecialToken candidate in _specialTokens)
        {
            if (candidate.Id == id)
            {
                special = candidate.Text;
                return default;
            }
        }

        throw new ArgumentOutOfRangeException("ids", id, $"Token id {id} is not part of the {_name} encoding.");
    }
}
