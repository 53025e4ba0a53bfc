namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Lists a repository's files — what git tracks (<c>git ls-files</c>) in a git work tree, otherwise the folder's files
/// without build-output folders — and reads each one that could be shown to the model. Never follows a link.
/// </summary>
internal static class RepositoryScanner
{
    private const string RegularMode = "100644";
    private const string ExecutableMode = "100755";

    public static async Task<RepositorySnapshot> ScanAsync(RepositoryWorkspace workspace, RepositoryTransformerOptions options, CancellationToken cancellationToken)
    {
        var skippedFolders = new List<ExcludedFile>();
        List<(string Path, string Mode)> entries = workspace.IsGitRepository
            ? await ListTrackedAsync(workspace.Root, options.GitExecutable, cancellationToken).ConfigureAwait(false)
            : ListFolder(workspace.Root, skippedFolders);

        var files = new List<RepositoryFile>(entries.Count);
        foreach ((string path, string mode) in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            files.Add(await ReadAsync(workspace.Root, path, mode, options.MaxFileBytes, cancellationToken).ConfigureAwait(false));
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new RepositorySnapshot(workspace.Root, files, skippedFolders);
    }

    private static async Task<RepositoryFile> ReadAsync(string root, string path, string mode, long maxBytes, CancellationToken cancellationToken)
    {
        if (mode == "160000")
        {
            return new RepositoryFile(path, mode, null, ExclusionReason.Submodule);
        }

        string full = Path.Combine(root, path);
        if (mode == "120000" || RepositoryPath.IsLink(full))
        {
            return new RepositoryFile(path, mode, null, ExclusionReason.SymbolicLink);
        }

        var info = new FileInfo(full);
        if (!info.Exists)
        {
            return new RepositoryFile(path, mode, null, ExclusionReason.Missing);
        }

        if (info.Length > maxBytes)
        {
            return new RepositoryFile(path, mode, null, ExclusionReason.TooLarge);
        }

        byte[] bytes = await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
        string? text = FileClassifier.DecodeText(bytes);
        if (text is null)
        {
            return new RepositoryFile(path, mode, null, ExclusionReason.Binary);
        }

        // Lock and generated files keep their text: the model may still delete them, and a deletion diff needs it.
        ExclusionReason? reason = FileClassifier.IsLockFile(path) ? ExclusionReason.LockFile
            : FileClassifier.IsGeneratedPath(path) || FileClassifier.HasGeneratedMarker(text) ? ExclusionReason.Generated
            : null;
        return new RepositoryFile(path, mode, text, reason);
    }

    private static async Task<List<(string Path, string Mode)>> ListTrackedAsync(string root, string git, CancellationToken cancellationToken)
    {
        // -s gives each entry's mode (symlinks 120000, submodules 160000); -z keeps unusual names verbatim.
        GitResult result = await GitCommand.RunAsync(git, root, ["-c", "core.quotepath=off", "ls-files", "-s", "-z"], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new RepositoryException($"Could not list the repository's files: {result.FirstErrorLine}");
        }

        var entries = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string record in result.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<mode> <object> <stage>\t<path>"; a conflicted path appears once per stage.
            int tab = record.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                continue;
            }

            string path = record[(tab + 1)..];
            if (seen.Add(path))
            {
                entries.Add((path, record[..record.IndexOf(' ', StringComparison.Ordinal)]));
            }
        }

        return entries;
    }

    private static List<(string Path, string Mode)> ListFolder(string root, List<ExcludedFile> skippedFolders)
    {
        var entries = new List<(string, string)>();
        var pending = new Stack<string>();
        pending.Push(root);
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true, RecurseSubdirectories = false };
        while (pending.Count > 0)
        {
            string folder = pending.Pop();
            foreach (string directory in Directory.EnumerateDirectories(folder, "*", options))
            {
                string relative = Relative(root, directory);
                string name = Path.GetFileName(directory);
                if (name == ".git")
                {
                    continue;
                }

                if (RepositoryPath.IsLink(directory))
                {
                    skippedFolders.Add(new ExcludedFile(relative + "/", ExclusionReason.SymbolicLink));
                }
                else if (FileClassifier.IsGeneratedFolderName(name))
                {
                    skippedFolders.Add(new ExcludedFile(relative + "/", ExclusionReason.Generated));
                }
                else
                {
                    pending.Push(directory);
                }
            }

            foreach (string file in Directory.EnumerateFiles(folder, "*", options))
            {
                string mode = RepositoryPath.IsLink(file) ? "120000"
                    : !OperatingSystem.IsWindows() && (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0 ? ExecutableMode
                    : RegularMode;
                entries.Add((Relative(root, file), mode));
            }
        }

        skippedFolders.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return entries;
    }

    private static string Relative(string root, string full) => Path.GetRelativePath(root, full).Replace('\\', '/');
}
