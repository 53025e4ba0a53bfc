namespace StreamingCodeGeneration;

/// <summary>
/// Counts the tokens of a growing text exactly while it streams in: after every <see cref="Append"/>,
/// <see cref="Count"/> equals <c>tokenizer.CountTokens(everything appended so far)</c> — not a sum of per-chunk
/// counts, which would over-count every word split across two chunks.
/// </summary>
/// <remarks>
/// <para>
/// Only the unstable tail is re-tokenized. The pre-tokenizer reports, per piece, whether deciding that piece looked
/// for a character at or beyond the end of the text so far (a run of letters, digits, punctuation or white space
/// reaching the end; <c>\s+(?!\S)</c> needing the next character; an optional contraction or prefix that might still
/// follow; a high surrogate whose low half has not arrived). A piece decided without touching the end is the same
/// in every continuation of the text — the split regex never looks behind a piece's start — so its token count is
/// final and its chars are dropped. Every piece from the first undecided one on is pending and is re-tokenized on
/// the next <see cref="Append"/>. In practice the pending tail is the last one or two pieces, so a stream costs time
/// linear in its length; a single piece that never ends (say 100,000 letters without a space) is re-merged on every
/// append.
/// </para>
/// <para>Not thread-safe: one counter per stream.</para>
/// </remarks>
internal sealed class IncrementalTokenCounter
{
    private readonly Tokenizer _tokenizer;
    private CharBuffer _tail;
    private int _finalCount;
    private int _pendingCount;

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

    /// <summary>Gets the number of chars that are still pending (re-tokenized on the next append).</summary>
    internal int PendingLength => _tail.Length;

    /// <summary>Appends the next chunk of text; the chunk may end between the two halves of a surrogate pair.</summary>
    public void Append(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        Length += text.Length;
        _tail.Append(text);
        _pendingCount = _tokenizer.CountWithStablePrefix(_tail.Span, out int finalEnd, out int finalTokens);
        _finalCount += finalTokens;
        _tail.RemoveStart(finalEnd);
    }
}
