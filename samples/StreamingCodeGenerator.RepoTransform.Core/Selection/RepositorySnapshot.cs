namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Every file listed in the repository when the run started, by path, with what reading them cost.</summary>
internal sealed class RepositorySnapshot
{
    private readonly Dictionary<string, RepositoryFile> _byPath;

    public RepositorySnapshot(string root, IReadOnlyList<RepositoryFile> files, IReadOnlyList<ExcludedFile> skippedFolders)
    {
        Root = root;
        Files = files;
        SkippedFolders = skippedFolders;
        _byPath = new Dictionary<string, RepositoryFile>(files.Count, StringComparer.Ordinal);
        foreach (RepositoryFile file in files)
        {
            _byPath[file.Path] = file;
        }
    }

    public string Root { get; }

    /// <summary>The listed files, sorted by path (ordinal).</summary>
    public IReadOnlyList<RepositoryFile> Files { get; }

    /// <summary>Folders skipped without listing their files (build output in a folder that is not a git repository).</summary>
    public IReadOnlyList<ExcludedFile> SkippedFolders { get; }

    /// <summary>How many files were read.</summary>
    public int FilesRead { get; set; }

    /// <summary>How many bytes of file contents were read.</summary>
    public long BytesRead { get; set; }

    /// <summary>How many candidate files were left unread for <see cref="RepositoryTransformerOptions.MaxBytesRead"/>.</summary>
    public int FilesNotRead { get; set; }

    /// <summary>Reads a listed file's text later (a deletion needs the text of a file that was not read); set by the scanner.</summary>
    public Func<RepositoryFile, CancellationToken, Task>? Loader { get; set; }

    public RepositoryFile? Find(string path) => _byPath.GetValueOrDefault(path);
}
