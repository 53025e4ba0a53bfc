using System.Text;
using System.Text.RegularExpressions;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Reads the model's answer while it streams, from the library's code-aware chunks: a block's first chunk opens it
/// (its file from the <c>path=</c> attribute of <see cref="CodeFence.InfoString"/>, else the library's
/// <see cref="Chunk.FileName"/>), code chunks are the file's contents (less the fence's indentation), the chunk that
/// <see cref="Chunk.ClosesBlock"/> completes it, and prose lines may hold a <c>DELETE: path</c> line or the review's
/// verdict. Reports each file as soon as its opening fence line is complete, refuses an unsafe path at once, and at the
/// end returns the edits. The library has parsed every fence line; this reads only the info string's attributes.
/// </summary>
/// <remarks>
/// Accepted file-name forms are the protocol's <c>```lang path=p</c> (quoted when it has spaces) and every form the
/// library recognises: <c>```lang:p</c>, <c>title="p"</c>, <c>filename=p</c>, <c>file=p</c>, <c>```p</c>, and a file-name line
/// just before the fence. Deletions: <c>```delete path=p</c> (or <c>```delete p</c>) with an empty block, or a prose
/// line <c>DELETE: p</c>.
/// </remarks>
internal sealed partial class AnswerParser
{
    private const int MaxVerdictLineLength = 200;

    private readonly int _round;
    private readonly Action<TransformEvent> _report;
    private readonly Action<string> _warn;
    private readonly Func<int> _outputTokens;
    private readonly Func<string, string> _checkPath;
    private readonly bool _expectVerdict;
    private readonly StringBuilder _prose = new();
    private readonly StringBuilder _proseLine = new();
    private readonly List<ParsedBlock> _blocks = [];
    private readonly List<(int Sequence, FileEdit Edit)> _deleteLines = [];
    private ParsedBlock? _current;
    private string? _verdictLine;
    private int _sequence;

    /// <param name="round">The round, for the events.</param>
    /// <param name="report">Receives the file events.</param>
    /// <param name="warn">Receives one sentence per thing that was ignored.</param>
    /// <param name="outputTokens">Reads the answer's live token count.</param>
    /// <param name="checkPath">Normalises a model-written path, or throws <see cref="UnsafePathException"/>.</param>
    /// <param name="expectVerdict">Whether the first line must be a review verdict.</param>
    public AnswerParser(int round, Action<TransformEvent> report, Action<string> warn, Func<int> outputTokens, Func<string, string> checkPath, bool expectVerdict)
    {
        _round = round;
        _report = report;
        _warn = warn;
        _outputTokens = outputTokens;
        _checkPath = checkPath;
        _expectVerdict = expectVerdict;
    }

    /// <summary>Takes the next chunk of the answer.</summary>
    /// <exception cref="UnsafePathException">A block or DELETE line names an unsafe path.</exception>
    public void Push(Chunk chunk)
    {
        if (chunk.Kind is ChunkKind.Fence or ChunkKind.Code)
        {
            OnBlockChunk(chunk);
        }
        else
        {
            OnProse(chunk.Text);
        }
    }

    /// <summary>Ends the answer and returns its edits, last edit of a path winning.</summary>
    /// <param name="truncated">Whether the model stopped at its output limit (or a content filter).</param>
    /// <exception cref="AnswerFormatException">The answer ended inside a file.</exception>
    public AnswerParseResult Complete(bool truncated)
    {
        if (_proseLine.Length > 0)
        {
            OnProseLine(_proseLine.ToString());
            _proseLine.Clear();
        }

        var ordered = new List<(int Sequence, FileEdit Edit)>(_deleteLines);
        foreach (ParsedBlock block in _blocks)
        {
            if (block.Path is null)
            {
                _warn($"Ignored code block {block.Index + 1}: it names no file (write ```<language> path=<file>).");
                continue;
            }

            if (!block.Closed)
            {
                throw new AnswerFormatException(truncated
                    ? $"The answer was cut off at the output token limit while writing '{block.Path}', so nothing was used; raise --max-tokens or ask for a smaller change."
                    : $"The answer ended inside the block for '{block.Path}' without its closing fence, so nothing was used.");
            }

            if (block.Edit == FileEditKind.Delete)
            {
                if (block.Content.ToString().Trim().Length > 0)
                {
                    _warn($"Ignored the text inside the delete block for '{block.Path}'; the file is deleted.");
                }

                ordered.Add((block.Sequence, new FileEdit(block.Path, FileEditKind.Delete, null)));
                continue;
            }

            if (block.Language is "diff" or "patch" && !block.Path.EndsWith(".diff", StringComparison.OrdinalIgnoreCase) && !block.Path.EndsWith(".patch", StringComparison.OrdinalIgnoreCase))
            {
                _warn($"Ignored the block for '{block.Path}': it is a diff, but the protocol asks for the file's complete contents.");
                continue;
            }

            ordered.Add((block.Sequence, new FileEdit(block.Path, FileEditKind.Write, LineEndings.FromModel(block.Content.ToString()))));
        }

        if (truncated)
        {
            _warn("The answer was cut off at the output token limit after its last complete file.");
        }

        ordered.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        var byPath = new Dictionary<string, FileEdit>(StringComparer.Ordinal);
        var edits = new List<FileEdit>();
        foreach ((_, FileEdit edit) in ordered)
        {
            if (byPath.ContainsKey(edit.Path))
            {
                _warn($"The answer writes '{edit.Path}' more than once; the last one is used.");
                edits.RemoveAll(e => e.Path == edit.Path);
            }

            byPath[edit.Path] = edit;
            edits.Add(edit);
        }

        ReviewVerdict? verdict = _expectVerdict ? ParseVerdict(_verdictLine) : null;
        return new AnswerParseResult(edits, verdict, _verdictLine, _prose.ToString());
    }

    /// <summary>The verdict, strictly: the first non-blank line is exactly one marker, or it is unrecognized.</summary>
    public static ReviewVerdict ParseVerdict(string? firstLine) => firstLine?.Trim() switch
    {
        "[CONFIDENT]" => ReviewVerdict.Confident,
        "[REVISION NEEDED]" => ReviewVerdict.RevisionNeeded,
        _ => ReviewVerdict.Unrecognized,
    };

    private void OnProse(string text)
    {
        _prose.Append(text);
        foreach (char c in text)
        {
            if (c is '\n' or '\r')
            {
                OnProseLine(_proseLine.ToString());
                _proseLine.Clear();
            }
            else
            {
                _proseLine.Append(c);
            }
        }
    }

    private void OnProseLine(string line)
    {
        if (line.Trim().Length == 0)
        {
            return;
        }

        NoteFirstLine(line);
        Match delete = DeleteLine().Match(line);
        if (delete.Success)
        {
            string path = _checkPath(delete.Groups["path"].Value);
            _report(new FileStarted(_round, path, FileEditKind.Delete));
            _deleteLines.Add((_sequence++, new FileEdit(path, FileEditKind.Delete, null)));
            _report(new FileCompleted(_round, path, FileEditKind.Delete, 0));
        }
    }

    private void NoteFirstLine(string line)
    {
        if (_verdictLine is null)
        {
            string trimmed = line.Trim();
            _verdictLine = trimmed.Length > MaxVerdictLineLength ? trimmed[..MaxVerdictLineLength] + "…" : trimmed;
        }
    }

    private void OnBlockChunk(Chunk chunk)
    {
        ParsedBlock block = BlockAt(chunk.BlockIndex);
        if (!block.Opened)
        {
            // A block's first chunk comes once its opening fence line is complete, with the fence parsed.
            Open(block, chunk);
        }

        if (chunk.Kind == ChunkKind.Code && !block.Closed)
        {
            int before = block.Lines;
            AppendCode(block, chunk.Text);
            if (block.Path is not null && block.Lines > before)
            {
                _report(new FileProgress(_round, block.Path, block.Lines, _outputTokens()));
            }
        }

        if (chunk.ClosesBlock && !block.Closed)
        {
            block.Closed = true;
            if (block.Path is not null)
            {
                _report(new FileCompleted(_round, block.Path, block.Edit, block.Edit == FileEditKind.Delete ? 0 : block.Lines));
            }
        }
    }

    private void Open(ParsedBlock block, Chunk chunk)
    {
        string info = chunk.Fence?.InfoString ?? string.Empty;
        NoteFirstLine(chunk.Fence?.ToString() ?? chunk.Text);
        block.Opened = true;
        block.Sequence = _sequence++;

        // CommonMark removes up to the fence's indentation from each content line, as the library's CodeBlock.Code does.
        block.Indent = chunk.Fence?.Indentation ?? 0;
        block.StripRemaining = block.Indent;
        block.Language = chunk.Language?.ToLowerInvariant();
        bool isDelete = block.Language == "delete";
        block.Edit = isDelete ? FileEditKind.Delete : FileEditKind.Write;

        string? rawPath = PathAttribute(info);
        if (rawPath is null && isDelete)
        {
            string rest = info[FirstWord(info).Length..].Trim();
            rawPath = rest.Length > 0 && !rest.Contains('=', StringComparison.Ordinal) ? FirstWord(rest) : null;
        }

        rawPath ??= chunk.FileName;
        if (rawPath is not null)
        {
            block.Path = _checkPath(rawPath);
            _report(new FileStarted(_round, block.Path, block.Edit));
        }
    }

    private static void AppendCode(ParsedBlock block, string text)
    {
        StringBuilder content = block.Content;
        foreach (char c in text)
        {
            if (c == '\n')
            {
                block.Lines++;
                block.StripRemaining = block.Indent;
                content.Append(c);
            }
            else if (c == ' ' && block.StripRemaining > 0)
            {
                block.StripRemaining--;
            }
            else
            {
                // A '\r' belongs to the line (a following '\n' ends it); anything else ends the indentation.
                block.StripRemaining = c == '\r' ? block.StripRemaining : 0;
                content.Append(c);
            }
        }
    }

    private ParsedBlock BlockAt(int blockIndex)
    {
        if (_current is null || _current.Index != blockIndex)
        {
            _current = new ParsedBlock(blockIndex);
            _blocks.Add(_current);
        }

        return _current;
    }

    /// <summary>The value of a <c>path=</c>, <c>file=</c> or <c>filename=</c> attribute, quoted or not; any file name, extension or not.</summary>
    private static string? PathAttribute(string info)
    {
        Match match = PathAttributePattern().Match(info);
        if (!match.Success)
        {
            return null;
        }

        string value = match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["bare"].Value;
        return value.Length == 0 ? null : value;
    }

    private static string FirstWord(string text)
    {
        int end = text.IndexOfAny([' ', '\t']);
        return end < 0 ? text : text[..end];
    }

    [GeneratedRegex("""(?:^|[\s,])(?:path|file|filename)=(?:"(?<quoted>[^"]*)"|'(?<quoted>[^']*)'|(?<bare>[^\s,]+))""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PathAttributePattern();

    // "DELETE: path", optionally as a list item and with the path in backticks; nothing else on the line.
    [GeneratedRegex(@"^\s{0,3}(?:[-*+]\s+)?DELETE:\s+`?(?<path>[^\s`]+)`?\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex DeleteLine();

    private sealed class ParsedBlock(int index)
    {
        public int Index { get; } = index;

        public int Sequence { get; set; }

        public StringBuilder Content { get; } = new();

        public bool Opened { get; set; }

        public bool Closed { get; set; }

        public int Indent { get; set; }

        public int StripRemaining { get; set; }

        public int Lines { get; set; }

        public string? Language { get; set; }

        public string? Path { get; set; }

        public FileEditKind Edit { get; set; }
    }
}
