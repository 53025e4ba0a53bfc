using System.Text;

namespace StreamingCodeGeneration;

/// <summary>
/// Builds the result parts of an answer from its segments as they stream: the prose and the code blocks.
/// </summary>
/// <remarks>
/// Accepts the segments of any granularity. <see cref="Explanation"/> is the prose text concatenated exactly as
/// received, with the fence lines and code removed and nothing put in their place: a block stood where the prose
/// of <c>BlockIndex</c> k (before block k) ends and the prose of <c>BlockIndex</c> k + 1 begins.
/// </remarks>
internal sealed class CodeBlockCollector
{
    private const int ProseTailLength = 512;

    private readonly StringBuilder _explanation = new();
    private readonly List<CodeBlock> _blocks = [];
    private readonly StringBuilder _code = new();

    private int _proseStart;            // length of _explanation when the last block ended
    private int _current = -1;          // index of the block being collected, or -1
    private string? _language;
    private string _infoString = string.Empty;
    private string? _fileName;
    private BlockAttributes? _attributes;
    private bool _openingLineEnded;     // the opening fence's line ending has been seen
    private bool _openingEndedWithCr;   // ... and it was a '\r', whose '\n' may follow in the next segment
    private bool _closingSeen;
    private int _stripIndent;
    private int _stripRemaining;
    private bool _atLineStart;

    private string? _explanationText;

    /// <summary>The prose, fences and code removed. Available after <see cref="Complete"/>.</summary>
    public string Explanation => _explanationText ?? throw NotCompleted();

    /// <summary>The code blocks in order. Available after <see cref="Complete"/>.</summary>
    public IReadOnlyList<CodeBlock> CodeBlocks => _explanationText is null ? throw NotCompleted() : _blocks;

    /// <summary>Whether the answer ended inside a code block. Available after <see cref="Complete"/>.</summary>
    public bool HasUnterminatedBlock =>
        _explanationText is null ? throw NotCompleted() : _blocks.Count > 0 && !_blocks[^1].IsTerminated;

    /// <summary>
    /// What the chunks of the block being collected share: its language, its file name (from the info string, or else
    /// from the prose line just before the fence) and its opening fence, known from the block's first segment on;
    /// <see langword="null"/> outside a block.
    /// </summary>
    public BlockAttributes? CurrentBlock => _current >= 0 ? _attributes : null;

    /// <summary>Adds one segment.</summary>
    public void Add(in TextSegment segment)
    {
        if (_explanationText is not null)
        {
            throw new InvalidOperationException("The collector has completed; create a new CodeBlockCollector for the next answer.");
        }

        if (segment.Kind == ChunkKind.Explanation)
        {
            if (_current >= 0)
            {
                FinishBlock();
            }

            _explanation.Append(segment.Text);
            return;
        }

        if (segment.BlockIndex != _current)
        {
            if (_current >= 0)
            {
                FinishBlock();
            }

            StartBlock(segment);
        }

        if (segment.Kind == ChunkKind.Fence)
        {
            TrackFence(segment.Text);
            return;
        }

        AppendCode(segment.Text);
    }

    /// <summary>End of the answer: finishes the last block and makes the results available.</summary>
    public void Complete()
    {
        if (_explanationText is not null)
        {
            return;
        }

        if (_current >= 0)
        {
            FinishBlock();
        }

        _explanationText = _explanation.ToString();
    }

    private void StartBlock(in TextSegment segment)
    {
        // The segmenter parsed the opening fence once; its segments carry the result.
        CodeFence? fence = segment.Fence;
        _current = segment.BlockIndex;
        _language = segment.Language;
        _code.Clear();
        _infoString = fence?.InfoString ?? string.Empty;
        _stripIndent = fence?.Indentation ?? 0;
        _stripRemaining = _stripIndent;
        _atLineStart = true;
        _fileName = (fence is null ? null : CodeFenceInfo.GetFileName(fence.InfoString)) ?? FileNameFromLastProseLine();
        _attributes = new BlockAttributes(_language, _fileName, fence);
        _openingLineEnded = false;
        _openingEndedWithCr = false;
        _closingSeen = false;
    }

    /// <summary>Fence text: the opening line until its line ending; anything after that is the closing fence.</summary>
    private void TrackFence(string text)
    {
        ReadOnlySpan<char> rest = text;
        if (_openingEndedWithCr)
        {
            _openingEndedWithCr = false;
            if (rest.Length > 0 && rest[0] == '\n')
            {
                rest = rest[1..];
            }
        }

        if (!_openingLineEnded)
        {
            int end = rest.IndexOfAny('\n', '\r');
            if (end < 0)
            {
                return;
            }

            _openingLineEnded = true;
            int next = end + 1;
            if (rest[end] == '\r')
            {
                if (next == rest.Length)
                {
                    _openingEndedWithCr = true;
                }
                else if (rest[next] == '\n')
                {
                    next++;
                }
            }

            rest = rest[next..];
        }

        _closingSeen |= !rest.IsEmpty;
    }

    private void AppendCode(string text)
    {
        if (_stripIndent == 0)
        {
            _code.Append(text);
            return;
        }

        // "If the leading code fence is indented N spaces, then up to N spaces of indentation are removed from each
        // line of the content (if present)."
        int copyFrom = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || c == '\r')
            {
                _atLineStart = true;
                _stripRemaining = _stripIndent;
            }
            else if (_atLineStart && c == ' ' && _stripRemaining > 0)
            {
                _code.Append(text, copyFrom, i - copyFrom);
                copyFrom = i + 1;
                _stripRemaining--;
            }
            else
            {
                _atLineStart = false;
            }
        }

        _code.Append(text, copyFrom, text.Length - copyFrom);
    }

    private void FinishBlock()
    {
        _blocks.Add(new CodeBlock(_current, _language, _code.ToString(), _fileName, _infoString, _closingSeen));
        _current = -1;
        _proseStart = _explanation.Length;
    }

    private string? FileNameFromLastProseLine()
    {
        int available = _explanation.Length - _proseStart;
        if (available <= 0)
        {
            return null;
        }

        int length = Math.Min(available, ProseTailLength);
        Span<char> tail = stackalloc char[length];
        _explanation.CopyTo(_explanation.Length - length, tail, length);

        ReadOnlySpan<char> text = tail.TrimEnd(" \t\r\n");
        int lineStart = text.LastIndexOfAny('\n', '\r');
        if (lineStart < 0 && length < available)
        {
            return null; // the line is longer than any file name line
        }

        return CodeFenceInfo.GetFileNameFromProseLine(text[(lineStart + 1)..]);
    }

    private static InvalidOperationException NotCompleted() =>
        new("Call Complete() after the last segment before reading the results.");
}
