namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Turns the model's file edits into exact changes against the snapshot: keeps each file's line endings, drops edits
/// that change nothing, and refuses (with a warning) edits it cannot make safely.
/// </summary>
internal static class ChangePlanner
{
    private const string NewFileMode = "100644";

    /// <param name="edits">The edits by path; the last edit of a path wins.</param>
    /// <param name="snapshot">The repository as it was read.</param>
    /// <param name="shown">The paths whose full contents the model saw: only those may be rewritten.</param>
    /// <param name="warn">Receives one sentence per edit that was left out.</param>
    public static List<PlannedChange> Plan(
        IReadOnlyDictionary<string, FileEdit> edits, RepositorySnapshot snapshot, IReadOnlySet<string> shown, Action<string> warn)
    {
        var changes = new List<PlannedChange>();
        foreach (FileEdit edit in edits.Values.OrderBy(e => e.Path, StringComparer.Ordinal))
        {
            RepositoryFile? file = snapshot.Find(edit.Path);
            PlannedChange? change = edit.Kind == FileEditKind.Delete
                ? PlanDelete(edit, file, warn)
                : PlanWrite(edit, file, snapshot.Root, shown, warn);
            if (change is not null)
            {
                changes.Add(change);
            }
        }

        return changes;
    }

    private static PlannedChange? PlanDelete(FileEdit edit, RepositoryFile? file, Action<string> warn)
    {
        if (file is null)
        {
            warn($"Ignored the deletion of '{edit.Path}': the repository has no such file.");
            return null;
        }

        if (file.Text is null)
        {
            warn($"Ignored the deletion of '{edit.Path}': it is {Describe(file.Exclusion)}, which a text diff cannot delete.");
            return null;
        }

        return new PlannedChange(edit.Path, FileChangeKind.Deleted, file.Text, null, file.Mode);
    }

    private static PlannedChange? PlanWrite(FileEdit edit, RepositoryFile? file, string root, IReadOnlySet<string> shown, Action<string> warn)
    {
        string content = edit.Content ?? string.Empty;
        if (file is null)
        {
            string full = Path.Combine(root, edit.Path);
            if (Directory.Exists(full))
            {
                warn($"Ignored the contents written to '{edit.Path}': it is a folder.");
                return null;
            }

            if (File.Exists(full))
            {
                warn($"Ignored the contents written to '{edit.Path}': a file that git does not track is already there.");
                return null;
            }

            string? blockingFile = FirstExistingFileOnTheWay(root, edit.Path);
            if (blockingFile is not null)
            {
                warn($"Ignored the new file '{edit.Path}': '{blockingFile}' is a file, not a folder.");
                return null;
            }

            return new PlannedChange(edit.Path, FileChangeKind.Added, null, LineEndings.FromModel(content), NewFileMode);
        }

        if (!shown.Contains(edit.Path) || file.Text is null)
        {
            warn($"Ignored the contents written to '{edit.Path}': the model was not shown that file ({Describe(file.Exclusion ?? ExclusionReason.OverBudget)}), so it would overwrite it blind.");
            return null;
        }

        string newText = LineEndings.Adapt(file.Text, content);
        return newText == file.Text ? null : new PlannedChange(edit.Path, FileChangeKind.Modified, file.Text, newText, file.Mode);
    }

    private static string? FirstExistingFileOnTheWay(string root, string path)
    {
        string[] segments = path.Split('/');
        string current = root;
        for (int i = 0; i < segments.Length - 1; i++)
        {
            current = Path.Combine(current, segments[i]);
            if (File.Exists(current))
            {
                return string.Join('/', segments[..(i + 1)]);
            }
        }

        return null;
    }

    private static string Describe(ExclusionReason? reason) => reason switch
    {
        ExclusionReason.Binary => "a binary file",
        ExclusionReason.LockFile => "a lock file",
        ExclusionReason.Generated => "a generated file",
        ExclusionReason.TooLarge => "too large",
        ExclusionReason.SymbolicLink => "a symbolic link",
        ExclusionReason.Submodule => "a submodule",
        ExclusionReason.Missing => "missing from the work tree",
        ExclusionReason.OverBudget => "left out of the prompt for the token budget",
        _ => "not a text file",
    };
}
