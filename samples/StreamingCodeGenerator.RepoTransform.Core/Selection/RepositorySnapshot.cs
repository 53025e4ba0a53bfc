namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Every file listed in the repository when the run started, by path.</summary>
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

    public RepositoryFile? Find(string path) => _byPath.GetValueOrDefault(path);
}
