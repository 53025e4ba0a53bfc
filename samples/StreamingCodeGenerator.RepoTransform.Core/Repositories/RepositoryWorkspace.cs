namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// An opened repository: a local folder used in place, or a shallow clone in a temporary folder that
/// <see cref="DisposeAsync"/> removes. Opening never writes to a local folder.
/// </summary>
internal sealed class RepositoryWorkspace : IAsyncDisposable
{
    private readonly string? _temporaryFolder;

    private RepositoryWorkspace(RepositorySource source, string root, bool isGitRepository, string? commit, string? temporaryFolder)
    {
        Source = source;
        Root = root;
        IsGitRepository = isGitRepository;
        Commit = commit;
        _temporaryFolder = temporaryFolder;
    }

    public RepositorySource Source { get; }

    /// <summary>The work tree's root (for a folder inside a git repository, the repository's top level).</summary>
    public string Root { get; }

    public bool IsGitRepository { get; }

    /// <summary>The commit checked out, or <see langword="null"/> outside git or before the first commit.</summary>
    public string? Commit { get; }

    public bool IsClone => _temporaryFolder is not null;

    /// <exception cref="RepositoryException">The clone failed or git is missing.</exception>
    public static async Task<RepositoryWorkspace> OpenAsync(RepositorySource source, string git, CancellationToken cancellationToken)
    {
        if (source.Kind == RepositorySourceKind.LocalFolder)
        {
            return await OpenFolderAsync(source, source.Location, git, temporaryFolder: null, cancellationToken).ConfigureAwait(false);
        }

        string folder = Path.Combine(Path.GetTempPath(), "scg-transform-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        try
        {
            string[] arguments =
            [
                "-c", "protocol.allow=never",
                "-c", $"protocol.{source.Scheme}.allow=always",
                "clone", "--depth", "1", "--quiet", "--no-tags", "--",
                source.Location, folder,
            ];
            GitResult clone = await GitCommand.RunAsync(git, Path.GetTempPath(), arguments, cancellationToken).ConfigureAwait(false);
            if (!clone.Succeeded)
            {
                throw new RepositoryException($"Could not clone '{source.Value}': {clone.FirstErrorLine}");
            }

            return await OpenFolderAsync(source, folder, git, folder, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DeleteFolder(folder);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_temporaryFolder is not null)
        {
            DeleteFolder(_temporaryFolder);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<RepositoryWorkspace> OpenFolderAsync(
        RepositorySource source, string folder, string git, string? temporaryFolder, CancellationToken cancellationToken)
    {
        GitResult top = await GitCommand.RunAsync(git, folder, ["rev-parse", "--show-toplevel"], cancellationToken).ConfigureAwait(false);
        if (!top.Succeeded)
        {
            return new RepositoryWorkspace(source, folder, isGitRepository: false, commit: null, temporaryFolder);
        }

        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(top.Output.Trim()));
        GitResult head = await GitCommand.RunAsync(git, root, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], cancellationToken).ConfigureAwait(false);
        string? commit = head.Succeeded ? head.Output.Trim() : null;
        return new RepositoryWorkspace(source, root, isGitRepository: true, commit, temporaryFolder);
    }

    private static void DeleteFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }

        // git writes its objects read-only; on Windows that blocks deletion, so clear the flag first.
        if (OperatingSystem.IsWindows())
        {
            var all = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 };
            foreach (string file in Directory.EnumerateFiles(folder, "*", all))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }
        }

        Directory.Delete(folder, recursive: true);
    }
}
