namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Lists a repository's files — what git tracks in a work tree, a clone's commit, or a folder's files without
/// build-output folders — classifies each by its name, mode and size, and reads the candidates in order of relevance by
/// path (a file the prompt names first, then path words, then smaller files) until
/// <see cref="RepositoryTransformerOptions.MaxBytesRead"/> is reached, so a large repository costs a run no more than
/// that. Never follows a link.
/// </summary>
internal static class RepositoryScanner
{
    /// <exception cref="RepositoryLimitException">More files than <see cref="RepositoryTransformerOptions.MaxFilesScanned"/>.</exception>
    public static async Task<RepositorySnapshot> ScanAsync(RepositoryWorkspace workspace, RepositoryTransformerOptions options, string prompt, CancellationToken cancellationToken)
    {
        var skippedFolders = new List<ExcludedFile>();
        List<RepositoryEntry> entries = await workspace.ListAsync(options.MaxFilesScanned, skippedFolders, cancellationToken).ConfigureAwait(false);
        var files = new List<RepositoryFile>(entries.Count);
        var candidates = new List<(RepositoryFile File, int Score)>();
        string lowerPrompt = prompt.ToLowerInvariant();
        HashSet<string> words = RelevanceRanker.Words(prompt);
        foreach (RepositoryEntry entry in entries)
        {
            var file = new RepositoryFile(entry.Path, entry.Mode, null, Classify(workspace, entry, options.MaxFileBytes), entry);
            files.Add(file);
            if (file.Exclusion is null)
            {
                candidates.Add((file, RelevanceRanker.PathScore(file.Path, lowerPrompt, words)));
            }
        }

        candidates.Sort((a, b) =>
        {
            int byScore = b.Score.CompareTo(a.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            int bySize = a.File.Size.CompareTo(b.File.Size);
            return bySize != 0 ? bySize : string.CompareOrdinal(a.File.Path, b.File.Path);
        });

        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var snapshot = new RepositorySnapshot(workspace.Root, files, skippedFolders);
        foreach ((RepositoryFile file, _) in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (snapshot.BytesRead + file.Size > options.MaxBytesRead)
            {
                file.Exclusion = ExclusionReason.NotRead;
                snapshot.FilesNotRead++;
                continue;
            }

            await ReadAsync(workspace, snapshot, file, options.MaxFileBytes, cancellationToken).ConfigureAwait(false);
            if (file.Text is not null && (FileClassifier.HasGeneratedMarker(file.Text)))
            {
                file.Exclusion = ExclusionReason.Generated;
            }
        }

        // A lock file, a generated file or a file left unread may still be deleted; a deletion diff needs its text.
        snapshot.Loader = async (file, token) =>
        {
            if (file.Text is null && file.Exclusion is ExclusionReason.LockFile or ExclusionReason.Generated or ExclusionReason.NotRead)
            {
                await ReadAsync(workspace, snapshot, file, options.MaxFileBytes, token).ConfigureAwait(false);
            }
        };
        return snapshot;
    }

    /// <summary>What the listing alone says: a submodule, a link, a file missing from the work tree, too large, a lock or generated file.</summary>
    private static ExclusionReason? Classify(RepositoryWorkspace workspace, RepositoryEntry entry, long maxBytes)
    {
        if (entry.Mode == "160000")
        {
            return ExclusionReason.Submodule;
        }

        if (entry.Mode == "120000" || (!workspace.IsClone && RepositoryPath.IsLink(Path.Combine(workspace.Root, entry.Path))))
        {
            return ExclusionReason.SymbolicLink;
        }

        if (entry.Size is not { } size)
        {
            return ExclusionReason.Missing;
        }

        return size > maxBytes ? ExclusionReason.TooLarge
            : FileClassifier.IsLockFile(entry.Path) ? ExclusionReason.LockFile
            : FileClassifier.IsGeneratedPath(entry.Path) ? ExclusionReason.Generated
            : null;
    }

    private static async Task ReadAsync(RepositoryWorkspace workspace, RepositorySnapshot snapshot, RepositoryFile file, long maxBytes, CancellationToken cancellationToken)
    {
        byte[]? bytes = await workspace.ReadAsync(file.Entry, maxBytes, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            file.Exclusion = ExclusionReason.TooLarge;
            snapshot.BytesRead += maxBytes;
            return;
        }

        snapshot.BytesRead += bytes.Length;
        snapshot.FilesRead++;
        string? text = FileClassifier.DecodeText(bytes);
        if (text is null)
        {
            file.Exclusion = ExclusionReason.Binary;
            return;
        }

        file.Text = text;
    }
}
