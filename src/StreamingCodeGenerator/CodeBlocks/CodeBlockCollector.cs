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
    private readonly StringBuilder _fence = new();
    private readonly StringBuilder _code = new();

    private int _proseStart;            // length of _explanation when the last block ended
    private int _current = -1;          // index of the block being collected, or -1
    private string? _language;
    private string? _proseFileName;
    private string _infoString = string.Empty;
    private string? _fileName;
    private bool _openingParsed;
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
    /// The file name of the block being collected, once its opening fence line is complete (from the info string, or
    /// else from the prose line just before the fence); <see langword="null"/> outside a block or when none is named.
    /// </summary>
    public string? CurrentFileName => _current >= 0 ? _fileName : null;

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
            if (_openingParsed)
            {
                _closingSeen = true;
            }
            else
            {
                _fence.Append(segment.Text);
                if (segment.Text.AsSpan().IndexOfAny('\n', '\r') >= 0)
                {
                    // The opening fence line is complete: its file name is known before any code arrives.
                    _fileName = CodeFenceInfo.GetFileName(CodeFenceInfo.GetInfoString(FirstLine(_fence.ToString()), out _)) ?? _proseFileName;
                }
            }

            return;
        }

        if (!_openingParsed)
        {
            ParseOpening();
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
        _current = segment.BlockIndex;
        _language = segment.Language;
        _fence.Clear();
        _code.Clear();
        _openingParsed = false;
        _closingSeen = false;
        _infoString = string.Empty;
        _fileName = null;
        _stripIndent = 0;
        _proseFileName = FileNameFromLastProseLine();
    }

    private void ParseOpening()
    {
        _openingParsed = true;
        string fence = _fence.ToString();
        int end = fence.AsSpan().IndexOfAny('\n', '\r');
        ReadOnlySpan<char> line = end < 0 ? fence : fence.AsSpan(0, end);
        ReadOnlySpan<char> info = CodeFenceInfo.GetInfoString(line, out _stripIndent);
        _infoString = info.ToString();
        _fileName = CodeFenceInfo.GetFileName(info) ?? _proseFileName;
        _stripRemaining = _stripIndent;
        _atLineStart = true;

        if (end >= 0)
        {
            int next = end + (fence[end] == '\r' && end + 1 < fence.Length && fence[end + 1] == '\n' ? 2 : 1);

            // Anything after the opening fence line in the fence text is the closing fence (an empty block).
            _closingSeen = next < fence.Length;
        }
    }

    private static ReadOnlySpan<char> FirstLine(string fence)
    {
        int end = fence.AsSpan().IndexOfAny('\n', '\r');
        return end < 0 ? fence : fence.AsSpan(0, end);
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
        bool terminated = _closingSeen;
        if (!_openingParsed)
        {
            ParseOpening();
            terminated = _closingSeen;
        }

        _blocks.Add(new CodeBlock(_current, _language, _code.ToString(), _fileName, _infoString, terminated));
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
