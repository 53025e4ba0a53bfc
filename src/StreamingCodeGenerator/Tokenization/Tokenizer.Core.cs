using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace StreamingCodeGeneration;

/// <content>The single encoding loop behind the public methods, and the piece counter <see cref="IncrementalTokenCounter"/> uses.</content>
public sealed partial class Tokenizer
{
    [ThreadStatic]
    private static PieceScratch? t_scratch;

    /// <summary>Gets the rank table.</summary>
    internal BpeVocabulary Vocabulary => _vocabulary;

    /// <summary>Counts the tokens of one pre-tokenizer piece, as tiktoken does (a piece that is a token is one token).</summary>
    /// <param name="chars">The piece.</param>
    /// <param name="useCache">Whether the piece may be looked up in and added to this thread's merge cache.</param>
    internal int CountOrdinaryPiece(ReadOnlySpan<char> chars, bool useCache)
    {
        PieceScratch scratch = t_scratch ??= new PieceScratch();
        var sink = new TokenCountSink();
        _ = chars.Length <= PieceScratch.MaxChars
            ? EncodePiece(_vocabulary, chars, scratch.Bytes, scratch.Work, useCache ? scratch.GetCache(Encoding) : null, 0, 0, chars.Length, ref sink)
            : EncodeLongPiece(_vocabulary, chars, 0, 0, chars.Length, ref sink);
        return sink.Count;
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
