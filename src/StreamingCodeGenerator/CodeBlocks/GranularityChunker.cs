namespace StreamingCodeGeneration;

/// <summary>
/// Re-cuts the segment stream into whole lines or whole words (see <see cref="ChunkGranularity"/>).
/// </summary>
/// <remarks>
/// A run is a sequence of adjacent segments with the same kind, language and block index. Pieces never span two
/// runs: when the run changes, the unfinished piece is flushed as it is. Within a run the pieces depend only on the
/// text, not on how it was split into segments. <see cref="ChunkGranularity.Line"/> cuts after <c>\n</c> and after a
/// <c>\r</c> not followed by <c>\n</c>; <see cref="ChunkGranularity.Word"/> cuts where white space is followed by
/// other text. <see cref="ChunkGranularity.Delta"/> needs no chunker: the pipeline passes segments through.
/// </remarks>
internal sealed class GranularityChunker
{
    private readonly ChunkGranularity _granularity;
    private CharBuffer _pending;
    private TextSegment _run;       // attributes of the pending text (its Text is not used)
    private bool _pendingEndsInWhiteSpace;
    private bool _pendingClosesBlock;  // the pending text holds the end of a segment that closes its block

    /// <summary>Creates a chunker for <paramref name="granularity"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="granularity"/> is not <see cref="ChunkGranularity.Line"/> or <see cref="ChunkGranularity.Word"/>.</exception>
    public GranularityChunker(ChunkGranularity granularity)
    {
        if (granularity is not (ChunkGranularity.Line or ChunkGranularity.Word))
        {
            throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "Use Line or Word (Delta needs no chunker).");
        }

        _granularity = granularity;
    }

    /// <summary>Adds the complete pieces of <paramref name="segment"/> (with any earlier pending text) to <paramref name="output"/>.</summary>
    public void Push(in TextSegment segment, List<TextSegment> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        string text = segment.Text;
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (_pending.Length > 0 && !_run.HasSameRunAs(segment))
        {
            Flush(output);
        }

        // The piece holding the segment's last character closes the block, if the segment does.
        bool closes = segment.ClosesBlock;
        _run = segment with { ClosesBlock = false };
        int start = 0;
        for (int cut = NextCut(text, 0); cut >= 0; cut = NextCut(text, start))
        {
            // A piece is text[start..cut) preceded by the pending text.
            Emit(text, start, cut, closes && cut == text.Length, output);
            start = cut;
        }

        if (start < text.Length)
        {
            Append(text.AsSpan(start));
            _pendingClosesBlock |= closes;
        }
    }

    /// <summary>End of stream: flushes the unfinished piece.</summary>
    public void Complete(List<TextSegment> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Flush(output);
    }

    /// <summary>Index in <paramref name="text"/> at which the piece open at <paramref name="from"/> ends, or -1 when it may go on.</summary>
    private int NextCut(string text, int from)
    {
        if (from >= text.Length)
        {
            return -1;
        }

        if (_granularity == ChunkGranularity.Line)
        {
            if (from == 0 && _pending.Length > 0 && _pending.Last == '\r' && text[0] != '\n')
            {
                return 0; // the pending "\r" was a whole line ending
            }

            for (int i = from; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '\n')
                {
                    return i + 1;
                }

                if (c == '\r')
                {
                    if (i + 1 == text.Length)
                    {
                        return -1; // a '\n' may follow in the next segment
                    }

                    if (text[i + 1] != '\n')
                    {
                        return i + 1;
                    }
                }
            }

            return -1;
        }

        // Word: cut where white space is followed by something else.
        bool previousWhite;
        int next;
        if (from > 0)
        {
            previousWhite = char.IsWhiteSpace(text[from]);
            next = from + 1;
        }
        else if (_pending.Length > 0)
        {
            previousWhite = _pendingEndsInWhiteSpace;
            next = 0;
        }
        else
        {
            previousWhite = char.IsWhiteSpace(text[0]);
            next = 1;
        }

        for (int i = next; i < text.Length; i++)
        {
            bool white = char.IsWhiteSpace(text[i]);
            if (previousWhite && !white)
            {
                return i;
            }

            previousWhite = white;
        }

        return -1;
    }

    private void Emit(string text, int start, int end, bool closesBlock, List<TextSegment> output)
    {
        string piece;
        if (_pending.Length > 0)
        {
            piece = _pending.TakeWith(text.AsSpan(start, end - start));
            closesBlock |= _pendingClosesBlock;
            _pendingClosesBlock = false;
        }
        else if (end <= start)
        {
            return;
        }
        else
        {
            piece = start == 0 && end == text.Length ? text : text.Substring(start, end - start);
        }

        output.Add(_run with { Text = piece, ClosesBlock = closesBlock });
    }

    private void Flush(List<TextSegment> output)
    {
        if (_pending.Length == 0)
        {
            return;
        }

        output.Add(_run with { Text = _pending.Take(), ClosesBlock = _pendingClosesBlock });
        _pendingClosesBlock = false;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        _pending.Append(text);
        _pendingEndsInWhiteSpace = char.IsWhiteSpace(text[^1]);
    }
}
