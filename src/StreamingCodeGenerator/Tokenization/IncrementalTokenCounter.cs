namespace StreamingCodeGeneration;

/// <summary>
/// Counts the tokens of a growing text exactly while it streams in: after every <see cref="Append"/>,
/// <see cref="Count"/> equals <c>tokenizer.CountTokens(everything appended so far)</c> — not a sum of per-chunk
/// counts, which would over-count every word split across two chunks — in time proportional to the length appended,
/// whatever the text.
/// </summary>
/// <remarks>
/// <para>
/// The pre-tokenizer reports, per piece, whether deciding that piece looked for a character at or beyond the end of
/// the text so far (a run of letters, digits, punctuation or white space reaching the end; <c>\s+(?!\S)</c> needing
/// the next character; an optional contraction that might still follow; a high surrogate whose low half has not
/// arrived). A piece decided without touching the end is the same in every continuation of the text — the split regex
/// never looks behind a piece's start — so its token count is final and its chars are dropped. The pieces from the
/// first undecided one on are the pending tail, counted again after each append.
/// </para>
/// <para>
/// Counting the tail again costs no more than the new characters, however long the tail: a run the pre-tokenizer
/// scanned to the end is resumed where it stopped (<see cref="ResumingRunScanner"/>), and a pending piece of more than
/// <see cref="LongPieceChars"/> characters is byte-pair encoded as it grows (<see cref="PendingPiece"/>,
/// <see cref="AppendableEncoder"/>) instead of being merged again. A 100,000-character run without a break counts in
/// linear time, in any chunk sizes.
/// </para>
/// <para>Not thread-safe: one counter per stream.</para>
/// </remarks>
internal sealed class IncrementalTokenCounter
{
    /// <summary>Pending pieces longer than this many chars are encoded as they grow; shorter ones are merged again.</summary>
    internal const int LongPieceChars = 32;

    private readonly Tokenizer _tokenizer;
    private readonly ResumingRunScanner _scanner = new();
    private readonly List<PendingPiece> _pieces = [];
    private readonly Stack<PendingPiece> _spare = new();
    private char[] _chars = [];
    private int _offset;
    private int _length;
    private int _finalCount;
    private int _pendingCount;
    private long _charsMerged;

    /// <summary>Initializes a new instance of the <see cref="IncrementalTokenCounter"/> class.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="tokenizer"/> is <see langword="null"/>.</exception>
    public IncrementalTokenCounter(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
    }

    /// <summary>Gets the exact number of tokens of all text appended so far (special-token text counts as ordinary text).</summary>
    public int Count => _finalCount + _pendingCount;

    /// <summary>Gets the number of chars appended so far.</summary>
    public long Length { get; private set; }

    /// <summary>Gets the number of chars that are still pending (counted again on the next append).</summary>
    internal int PendingLength => _length;

    /// <summary>
    /// Gets the number of chars examined so far: merged again as part of a short pending piece, fed to a long
    /// piece's encoder, or scanned by the pre-tokenizer's runs. Linear counting keeps it proportional to <see cref="Length"/>.
    /// </summary>
    internal long CharsExamined => _charsMerged + _scanner.CharsScanned;

    /// <summary>Appends the next chunk of text; the chunk may end between the two halves of a surrogate pair.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        Length += text.Length;
        AppendToTail(text);
        CountTail();
    }

    private void CountTail()
    {
        ReadOnlySpan<char> tail = _chars.AsSpan(_offset, _length);
        long tailStart = Length - _length;
        _scanner.Base = tailStart;
        ResumingRunScanner.Scanner scanner = _scanner.AsScanner();
        bool isO200k = _tokenizer.Encoding == TokenizerEncoding.O200kBase;
        bool hitEnd = false;
        int tokens = 0;
        int finalEnd = 0;
        int finalTokens = 0;
        int start = 0;
        foreach (PendingPiece piece in _pieces)
        {
            piece.Used = false;
        }

        while (start < tail.Length)
        {
            int end = isO200k
                ? PreTokenizer.NextO200k(tail, start, ref hitEnd, ref scanner)
                : PreTokenizer.NextCl100k(tail, start, ref hitEnd, ref scanner);
            tokens += CountPiece(tail, tailStart, start, end, final: !hitEnd);
            if (!hitEnd)
            {
                finalEnd = end;
                finalTokens = tokens;
            }

            start = end;
        }

        _finalCount += finalTokens;
        _pendingCount = tokens - finalTokens;
        _offset += finalEnd;
        _length -= finalEnd;
        for (int i = _pieces.Count - 1; i >= 0; i--)
        {
            PendingPiece piece = _pieces[i];
            if (!piece.Used || piece.Start < tailStart + finalEnd)
            {
                _pieces.RemoveAt(i);
                _spare.Push(piece);
            }
        }
    }

    private int CountPiece(ReadOnlySpan<char> tail, long tailStart, int start, int end, bool final)
    {
        long absoluteStart = tailStart + start;
        PendingPiece? piece = null;
        foreach (PendingPiece candidate in _pieces)
        {
            if (candidate.Start == absoluteStart)
            {
                piece = candidate;
                break;
            }
        }

        if (piece is null)
        {
            if (end - start <= LongPieceChars || final)
            {
                // Pending pieces are often half a word: keep them out of the merge cache.
                _charsMerged += end - start;
                return _tokenizer.CountOrdinaryPiece(tail[start..end], useCache: final);
            }

            piece = _spare.Count > 0 ? _spare.Pop() : new PendingPiece(_tokenizer.Vocabulary);
            piece.Reset(absoluteStart);
            _pieces.Add(piece);
        }

        piece.Used = true;

        // A high surrogate at the very end is not fed: its low half may still come.
        bool loneAtEnd = end == tail.Length && char.IsHighSurrogate(tail[end - 1]);
        int settled = loneAtEnd ? end - 1 : end;
        if (start + piece.FedChars < settled)
        {
            _charsMerged += settled - start - piece.FedChars;
            piece.Feed(tail[(start + piece.FedChars)..settled]);
        }

        return loneAtEnd ? piece.CountWithLoneHighSurrogate() : piece.CountAt(end - start);
    }

    private void AppendToTail(ReadOnlySpan<char> text)
    {
        int needed = _length + text.Length;
        if (_offset + needed > _chars.Length)
        {
            if (needed <= _chars.Length / 2)
            {
                _chars.AsSpan(_offset, _length).CopyTo(_chars);
            }
            else
            {
                char[] larger = new char[Math.Max(needed, Math.Max(64, _chars.Length * 2))];
                _chars.AsSpan(_offset, _length).CopyTo(larger);
                _chars = larger;
            }

            _offset = 0;
        }

        text.CopyTo(_chars.AsSpan(_offset + _length));
        _length = needed;
    }
}
