namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A file listed in the repository, with its exact text once it has been read as a usable text file.</summary>
internal sealed class RepositoryFile
{
    private string? _displayText;

    public RepositoryFile(string path, string mode, string? text, ExclusionReason? exclusion, RepositoryEntry? entry = null)
    {
        Path = path;
        Mode = mode;
        Text = text;
        Exclusion = exclusion;
        Entry = entry ?? new RepositoryEntry(path, mode, text?.Length, ObjectId: null);
    }

    /// <summary>The path relative to the root, with <c>/</c> separators.</summary>
    public string Path { get; }

    /// <summary>The git file mode: <c>100644</c> or <c>100755</c> (others are excluded).</summary>
    public string Mode { get; }

    /// <summary>How the repository listed it (size, object), for reading it.</summary>
    public RepositoryEntry Entry { get; }

    /// <summary>The size in bytes as listed (0 when unknown).</summary>
    public long Size => Entry.Size ?? 0;

    /// <summary>The exact text (a UTF-8 byte order mark kept as U+FEFF), or <see langword="null"/> when not read as text.</summary>
    public string? Text
    {
        get;
        set
        {
            field = value;
            _displayText = null;
        }
    }

    /// <summary>Why the file is not offered to the model at all; <see langword="null"/> for a candidate.</summary>
    public ExclusionReason? Exclusion { get; set; }

    /// <summary>The text as the model sees it: no byte order mark, <c>\r\n</c> read as <c>\n</c>.</summary>
    public string DisplayText => _displayText ??= LineEndings.ToDisplay(Text ?? string.Empty);

    /// <summary>The tokens of this file's block in the prompt (set by the selector).</summary>
    public int Tokens { get; set; }
}
