namespace StreamingCodeGeneration;

/// <summary>
/// Tells code from prose in a streamed Markdown answer, following CommonMark fenced code blocks
/// (https://spec.commonmark.org/0.31.2/#fenced-code-blocks).
/// </summary>
/// <remarks>
/// <para>
/// Feed every received delta to <see cref="Push(string, List{TextSegment})"/> and call <see cref="Complete"/> at the
/// end. Text is released as soon as its kind is certain. Only the start of a line that could still be a fence is
/// held (indentation, a run of fence characters, an opening fence's info string, a closing fence's trailing
/// blanks), and never past the end of that line. A held line is released whole with one kind. An opening fence line
/// is therefore released at its line end: until then a backtick could still make it prose, and its info string names
/// the language its chunks carry.
/// </para>
/// <para>
/// Invariance: each character's kind, language and block index depend only on the text up to the end of its line,
/// so the segments, merged where adjacent ones share kind, language and block index, are the same however the
/// answer is split into deltas.
/// </para>
/// <para>
/// Line endings are <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c> ("A line ending is a line feed (U+000A), a carriage
/// return (U+000D) not followed by a line feed, or a carriage return and a following line feed."). A line ending
/// belongs to its line and has its kind, so a fence chunk includes the fence's line ending. A <c>\r</c> is released
/// at once; a <c>\n</c> arriving next joins it with the same kind.
/// </para>
/// <para>
/// List items: "A fenced code block begins with a code fence, preceded by up to three spaces of indentation", counted
/// from the content of the enclosing container. The segmenter keeps a light list context instead of a full block parser:
/// after a list item line (<c>- </c>, <c>* </c>, <c>+ </c>, <c>1. </c>, <c>1) </c>) whose content starts at column
/// C, an opening fence may be indented up to C + 3 columns, and its closing fence likewise. The context ends at a
/// non-indented prose line after a blank line, or at a fence indented less than C. Elsewhere the limit is 3.
/// Fences inside block quotes (<c>&gt; ```</c>) are prose.
/// </para>
/// <para>
/// Memory is bounded: a line still undecided after <see cref="MaxHeldLength"/> characters (a huge info string or
/// indentation) is not a fence. This departs from CommonMark only for such lines and keeps invariance.
/// </para>
/// </remarks>
internal sealed class CodeFenceSegmenter
{
    /// <summary>Longest line prefix held while deciding whether the line is a fence.</summary>
    internal const int MaxHeldLength = 4096;

    private const int BaseFenceIndent = 3;

    // Where the current line stands.
    private LinePhase _phase = LinePhase.Indent;
    private int _indent;            // columns of leading white space on the current line
    private int _lineHeldLength;    // characters of the current line held so far
    private char _runChar;          // fence character seen at the start of the line
    private int _runLength;
    private bool _afterCr;          // the previous character was a '\r' line ending; a '\n' may still belong to it

    // Text held from earlier deltas: either the current undecided line, or the prefix of the open run.
    private CharBuffer _held;

    // The code block we are in, if any.
    private bool _inBlock;
    private char _fenceChar;
    private int _fenceLength;
    private int _closeIndentLimit;
    private string? _language;
    private CodeFence? _fence;
    private int _blockIndex = -1;
    private int _blockCount;

    // Attributes of the current line once decided (also used for a '\n' that completes a "\r\n").
    private ChunkKind _lineKind;
    private string? _lineLanguage;
    private CodeFence? _lineFence;
    private int _lineBlockIndex;

    // Light list context (prose lines only).
    private ListScan _scan;
    private int _markerWidth;
    private int _markerSpaces;
    private bool _lineNonBlank;
    private bool _lineIsListItem;
    private int _lineContentColumn;
    private int _listColumn = -1;
    private bool _previousBlank;

    // Per push: the open run [_runStart, end) of the delta, optionally preceded by _held.
    private int _runStart = -1;
    private bool _runHasPrefix;
    private ChunkKind _runKind;
    private string? _runLanguage;
    private CodeFence? _runFence;
    private int _runBlockIndex;
    private bool _runClosesBlock;

    // Per push: where the current undecided line starts. When _lineInHeld, it started in an earlier delta, its
    // first part is in _held and it continues in the delta from _heldFrom.
    private int _lineStart;
    private bool _lineInHeld;
    private int _heldFrom;

    private bool _completed;

    private enum LinePhase : byte
    {
        Indent,     // at line start, only spaces and tabs so far (held)
        FenceRun,   // indentation then a run of fence characters (held)
        OpenInfo,   // outside a block, after three or more fence characters: the info string (held to the line end)
        CloseTrail, // inside a block, after a long enough run: only spaces or tabs may follow (held)
        Body,       // kind decided; the rest of the line is released as it arrives
    }

    private enum ListScan : byte
    {
        Indent,
        Digits,
        Marker,
        Spaces,
        Done,
    }

    /// <summary>Number of code blocks opened so far.</summary>
    public int BlockCount => _blockCount;

    /// <summary>Adds the segments released by <paramref name="delta"/> to <paramref name="output"/>. Reuses the string when one segment is the whole delta.</summary>
    public void Push(string delta, List<TextSegment> output)
    {
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(output);
        PushCore(delta.AsSpan(), delta, output);
    }

    /// <summary>End of stream: decides and releases the held line. A block still open stays open (it is unterminated).</summary>
    public void Complete(List<TextSegment> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ThrowIfCompleted();
        _completed = true;

        ReadOnlySpan<char> none = ReadOnlySpan<char>.Empty;
        BeginPush();
        if (_phase != LinePhase.Body)
        {
            // A line is "a sequence of zero or more characters other than line feed (U+000A) or carriage return
            // (U+000D), followed by a line ending or by the end of file": the end decides the held line.
            DecideAtLineEnd(none, null, 0, output);
        }

        FlushRun(none, null, 0, output);
    }

    private void PushCore(ReadOnlySpan<char> delta, string? source, List<TextSegment> output)
    {
        ThrowIfCompleted();
        if (delta.IsEmpty)
        {
            return;
        }

        BeginPush();
        int i = 0;
        while (i < delta.Length)
        {
            char c = delta[i];
            if (_afterCr)
            {
                _afterCr = false;
                if (c == '\n')
                {
                    // "\r\n" is one line ending: the '\n' belongs to the line already released.
                    i++;
                    StartLine(i);
                    continue;
                }

                StartLine(i);
            }

            switch (_phase)
            {
                case LinePhase.Body:
                    i = ScanBody(delta, i);
                    continue;

                case LinePhase.Indent:
                    OnIndent(delta, source, i, output);
                    break;

                case LinePhase.FenceRun:
                    OnFenceRun(delta, source, i, output);
                    break;

                case LinePhase.OpenInfo:
                    OnOpenInfo(delta, source, i, output);
                    break;

                default:
                    OnCloseTrail(delta, source, i, output);
                    break;
            }

            if (_phase == LinePhase.Body)
            {
                // Decided on this character: it belongs to the body, which handles line endings and list marks.
                continue;
            }

            i++;
        }

        if (_phase == LinePhase.Body)
        {
            FlushRun(delta, source, delta.Length, output);
        }
        else if (_lineInHeld)
        {
            _held.Append(delta[_heldFrom..]);
        }
        else
        {
            FlushRun(delta, source, _lineStart, output);
            _held.Append(delta[_lineStart..]);
        }
    }

    private void BeginPush()
    {
        _runStart = -1;
        _runHasPrefix = false;
        _heldFrom = 0;
        _lineStart = 0;
        if (_phase == LinePhase.Body)
        {
            OpenRun(0, prefix: false, _lineKind, _lineLanguage, _lineBlockIndex, _lineFence);
            _lineInHeld = false;
        }
        else
        {
            _lineInHeld = _held.Length > 0;
        }
    }

    private void StartLine(int position)
    {
        _phase = LinePhase.Indent;
        _indent = 0;
        _lineHeldLength = 0;
        _runLength = 0;
        _lineStart = position;
        _lineInHeld = false;
        _scan = ListScan.Indent;
        _lineNonBlank = false;
        _lineIsListItem = false;
    }

    private int IndentLimit => _inBlock
        ? _closeIndentLimit
        : _listColumn >= 0 ? Math.Max(BaseFenceIndent, _listColumn + BaseFenceIndent) : BaseFenceIndent;

    private void OnIndent(ReadOnlySpan<char> delta, string? source, int i, List<TextSegment> output)
    {
        char c = delta[i];
        if (c == ' ' || c == '\t')
        {
            int indent = c == ' ' ? _indent + 1 : ((_indent / 4) + 1) * 4;

            // "A fenced code block begins with a code fence, preceded by up to three spaces of indentation."
            // "Four spaces of indentation is too many" (beyond the list context, see the remarks).
            if (indent > IndentLimit)
            {
                DecideBody(delta, source, output, fromIndent: true);
                return;
            }

            _indent = indent;
            CountHeld(delta, source, output);
            return;
        }

        // "A code fence is a sequence of at least three consecutive backtick characters (`) or tildes (~)."
        // "(Tildes and backticks cannot be mixed.)" Inside a block only the block's character can start the closing
        // fence: "until a closing code fence of the same type as the code block began with (backticks or tildes)".
        if (_inBlock ? c == _fenceChar : c == '`' || c == '~')
        {
            _runChar = c;
            _runLength = 1;
            _phase = LinePhase.FenceRun;
            CountHeld(delta, source, output);
            return;
        }

        // Any other character, including a line ending (a blank line), decides the line.
        DecideBody(delta, source, output, fromIndent: true);
    }

    private void OnFenceRun(ReadOnlySpan<char> delta, string? source, int i, List<TextSegment> output)
    {
        char c = delta[i];
        if (c == _runChar)
        {
            _runLength++;
            CountHeld(delta, source, output);
            return;
        }

        if (_inBlock)
        {
            // "with at least as many backticks or tildes as the opening code fence"
            if (_runLength >= _fenceLength)
            {
                _phase = LinePhase.CloseTrail;
                OnCloseTrail(delta, source, i, output);
            }
            else
            {
                DecideBody(delta, source, output, fromIndent: false);
            }
        }
        else if (_runLength >= 3)
        {
            _phase = LinePhase.OpenInfo;
            OnOpenInfo(delta, source, i, output);
        }
        else
        {
            // One or two fence characters: a code span or plain text, never a fence.
            DecideBody(delta, source, output, fromIndent: false);
        }
    }

    private void OnOpenInfo(ReadOnlySpan<char> delta, string? source, int i, List<TextSegment> output)
    {
        char c = delta[i];
        if (c == '\n' || c == '\r')
        {
            OpenBlock(delta, source, i, output);
            return;
        }

        // "If the info string comes after a backtick fence, it may not contain any backtick characters.
        // (The reason for this restriction is that otherwise some inline code would be incorrectly interpreted
        // as the beginning of a fenced code block.)"
        if (c == '`' && _runChar == '`')
        {
            DecideBody(delta, source, output, fromIndent: false);
            return;
        }

        CountHeld(delta, source, output);
    }

    private void OnCloseTrail(ReadOnlySpan<char> delta, string? source, int i, List<TextSegment> output)
    {
        char c = delta[i];
        if (c == '\n' || c == '\r')
        {
            CloseBlock(delta, source, output);
            return;
        }

        // "The closing code fence may be preceded by up to three spaces of indentation, and may be followed only by
        // spaces or tabs, which are ignored."
        if (c == ' ' || c == '\t')
        {
            CountHeld(delta, source, output);
            return;
        }

        DecideBody(delta, source, output, fromIndent: false);
    }

    /// <summary>Decides the held line at a line ending or at the end of the stream.</summary>
    private void DecideAtLineEnd(ReadOnlySpan<char> delta, string? source, int i, List<TextSegment> output)
    {
        switch (_phase)
        {
            case LinePhase.FenceRun when _inBlock && _runLength >= _fenceLength:
            case LinePhase.CloseTrail:
                CloseBlock(delta, source, output);
                break;
            case LinePhase.FenceRun when !_inBlock && _runLength >= 3:
            case LinePhase.OpenInfo:
                OpenBlock(delta, source, i, output);
                break;
            default:
                DecideBody(delta, source, output, fromIndent: _phase == LinePhase.Indent);
                break;
        }
    }

    private void CountHeld(ReadOnlySpan<char> delta, string? source, List<TextSegment> output)
    {
        if (++_lineHeldLength > MaxHeldLength)
        {
            // Bounded memory for untrusted input: an overlong undecided line is not a fence.
            DecideBody(delta, source, output, fromIndent: false);
            _scan = ListScan.Done;
            _lineNonBlank = true;
        }
    }

    private void OpenBlock(ReadOnlySpan<char> delta, string? source, int i, List<TextSegment> output)
    {
        ReadOnlySpan<char> line = HeldLine(delta, i);
        ReadOnlySpan<char> info = CodeFenceInfo.GetInfoString(line, out int indentation);

        // "The content of the code block consists of all subsequent lines, until a closing code fence of the same
        // type as the code block began with ... and with at least as many backticks or tildes as the opening code fence."
        _inBlock = true;
        _fenceChar = _runChar;
        _fenceLength = _runLength;
        _language = CodeFenceInfo.GetLanguage(info);
        _fence = new CodeFence(info.ToString(), indentation, _runChar, _runLength);
        _blockIndex = _blockCount++;

        if (_listColumn >= 0 && indentation < _listColumn)
        {
            // Less indented than the list item's content: the fence is outside the list, which ends.
            _listColumn = -1;
        }

        // "The closing code fence may be preceded by up to three spaces of indentation" (relative to the container).
        // "If the end of the containing block (or document) is reached and no closing code fence has been found, the
        // code block contains all of the lines after the opening code fence": an open block simply stays open.
        _closeIndentLimit = _listColumn >= 0 ? _listColumn + BaseFenceIndent : BaseFenceIndent;
        _previousBlank = false;
        Decide(delta, source, output, ChunkKind.Fence, _language, _blockIndex);
        _scan = ListScan.Done;
    }

    private void CloseBlock(ReadOnlySpan<char> delta, string? source, List<TextSegment> output)
    {
        Decide(delta, source, output, ChunkKind.Fence, _language, _blockIndex);
        _runClosesBlock = true;
        _inBlock = false;
        _language = null;
        _fence = null;
        _previousBlank = false;
        _scan = ListScan.Done;
    }

    private void DecideBody(ReadOnlySpan<char> delta, string? source, List<TextSegment> output, bool fromIndent)
    {
        if (_inBlock)
        {
            Decide(delta, source, output, ChunkKind.Code, _language, _blockIndex);
            _scan = ListScan.Done;
            return;
        }

        // Prose carries the index of the block that follows it: the number of blocks opened so far.
        Decide(delta, source, output, ChunkKind.Explanation, null, _blockCount);
        if (fromIndent)
        {
            _scan = ListScan.Indent;
        }
        else
        {
            _scan = ListScan.Done;
            _lineNonBlank = true;
        }
    }

    /// <summary>Releases the held part of the current line with the given attributes; the rest of the line follows as body.</summary>
    private void Decide(ReadOnlySpan<char> delta, string? source, List<TextSegment> output, ChunkKind kind, string? language, int blockIndex)
    {
        // Prose belongs to no block; code and fence lines carry the open block's fence (a closing line too: it is
        // decided before the block ends).
        CodeFence? fence = kind == ChunkKind.Explanation ? null : _fence;
        if (_lineInHeld)
        {
            // The line began in an earlier delta: no run is open yet in this one.
            OpenRun(_heldFrom, prefix: _held.Length > 0, kind, language, blockIndex, fence);
        }
        else if (!(_runStart >= 0 && _runKind == kind && _runBlockIndex == blockIndex && ReferenceEquals(_runLanguage, language)))
        {
            FlushRun(delta, source, _lineStart, output);
            OpenRun(_lineStart, prefix: false, kind, language, blockIndex, fence);
        }

        _lineKind = kind;
        _lineLanguage = language;
        _lineFence = fence;
        _lineBlockIndex = blockIndex;
        _lineInHeld = false;
        _phase = LinePhase.Body;
    }

    /// <summary>The current held line as one span (copying the delta part next to the earlier part when needed).</summary>
    private ReadOnlySpan<char> HeldLine(ReadOnlySpan<char> delta, int i)
    {
        if (!_lineInHeld)
        {
            return delta[_lineStart..i];
        }

        _held.Append(delta[_heldFrom..i]);
        _heldFrom = i;
        return _held.Span;
    }

    /// <summary>Releases the rest of a decided line; returns the index after the last character consumed.</summary>
    private int ScanBody(ReadOnlySpan<char> delta, int i)
    {
        if (_scan != ListScan.Done)
        {
            // Prose line start: track list items for the list context.
            while (i < delta.Length && _scan != ListScan.Done)
            {
                char c = delta[i];
                if (c == '\n' || c == '\r')
                {
                    break;
                }

                ScanListChar(c);
                i++;
            }

            if (i == delta.Length)
            {
                return i;
            }
        }

        int end = delta[i..].IndexOfAny('\n', '\r');
        if (end < 0)
        {
            return delta.Length;
        }

        i += end;
        EndLine();
        if (delta[i] == '\r')
        {
            _afterCr = true;
            return i + 1;
        }

        StartLine(i + 1);
        return i + 1;
    }

    private void ScanListChar(char c)
    {
        // "A list marker is a bullet list marker or an ordered list marker." "A bullet list marker is a -, +, or *
        // character." "An ordered list marker is a sequence of 1–9 arabic digits (0-9), followed by either a .
        // character or a ) character." It must be followed by at least one space or tab.
        switch (_scan)
        {
            case ListScan.Indent:
                if (c == ' ')
                {
                    _indent++;
                }
                else if (c == '\t')
                {
                    _indent = ((_indent / 4) + 1) * 4;
                }
                else
                {
                    _lineNonBlank = true;
                    _markerWidth = 1;
                    _scan = c is '-' or '+' or '*' ? ListScan.Marker : char.IsAsciiDigit(c) ? ListScan.Digits : ListScan.Done;
                }

                break;

            case ListScan.Digits:
                if (char.IsAsciiDigit(c) && _markerWidth < 9)
                {
                    _markerWidth++;
                }
                else if (c is '.' or ')')
                {
                    _markerWidth++;
                    _scan = ListScan.Marker;
                }
                else
                {
                    _scan = ListScan.Done;
                }

                break;

            case ListScan.Marker:
                if (c is ' ' or '\t')
                {
                    _markerSpaces = 1;
                    _scan = ListScan.Spaces;
                }
                else
                {
                    _scan = ListScan.Done;
                }

                break;

            default:
                if (c is ' ' or '\t')
                {
                    _markerSpaces++;
                }
                else
                {
                    // Five or more spaces after the marker start indented code inside the item, whose content
                    // then begins one space after the marker (CommonMark list items, rule 2).
                    _lineIsListItem = true;
                    _lineContentColumn = _indent + _markerWidth + (_markerSpaces > 4 ? 1 : _markerSpaces);
                    _scan = ListScan.Done;
                }

                break;
        }
    }

    private void EndLine()
    {
        if (_lineKind != ChunkKind.Explanation)
        {
            return;
        }

        if (_scan is ListScan.Marker or ListScan.Spaces)
        {
            // A list item with nothing after the marker: its content column is one past the marker.
            _lineIsListItem = true;
            _lineContentColumn = _indent + _markerWidth + 1;
        }

        if (!_lineNonBlank)
        {
            _previousBlank = true;
            return;
        }

        if (_lineIsListItem)
        {
            _listColumn = _lineContentColumn;
        }
        else if (_previousBlank)
        {
            // After a blank line, a less indented paragraph leaves the list item.
            if (_indent == 0)
            {
                _listColumn = -1;
            }
            else if (_indent < _listColumn)
            {
                _listColumn = _indent;
            }
        }

        _previousBlank = false;
    }

    private void OpenRun(int start, bool prefix, ChunkKind kind, string? language, int blockIndex, CodeFence? fence)
    {
        _runStart = start;
        _runHasPrefix = prefix;
        _runKind = kind;
        _runLanguage = language;
        _runBlockIndex = blockIndex;
        _runFence = fence;
        _runClosesBlock = false;
    }

    private void FlushRun(ReadOnlySpan<char> delta, string? source, int end, List<TextSegment> output)
    {
        if (_runStart < 0)
        {
            return;
        }

        int start = _runStart;
        _runStart = -1;
        string text;
        if (_runHasPrefix)
        {
            text = _held.TakeWith(delta[start..end]);
            _runHasPrefix = false;
        }
        else if (end <= start)
        {
            return;
        }
        else if (source is not null && start == 0 && end == delta.Length)
        {
            text = source;
        }
        else
        {
            text = delta[start..end].ToString();
        }

        output.Add(new TextSegment(_runKind, _runLanguage, _runBlockIndex, text, _runFence, _runClosesBlock));
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The segmenter has completed; create a new CodeFenceSegmenter for the next answer.");
        }
    }
}
