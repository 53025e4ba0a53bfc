namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Checks a path named by the model before anything uses it: it must be relative, stay inside the repository, not
/// touch <c>.git</c>, and not pass through a symbolic link that exists in the tree.
/// </summary>
internal static class RepositoryPath
{
    /// <summary>
    /// Normalises a model-written path to the repository's form (<c>/</c> separators, no leading <c>./</c>) or refuses it.
    /// Backslashes are read as separators, since models trained on Windows paths write them.
    /// </summary>
    /// <exception cref="UnsafePathException">The path is empty, absolute, contains <c>..</c>, <c>.git</c> or a control character.</exception>
    public static string Normalize(string candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        string path = candidate.Trim();
        if (path.Length == 0)
        {
            throw new UnsafePathException(candidate, "it is empty");
        }

        foreach (char c in path)
        {
            if (char.IsControl(c))
            {
                throw new UnsafePathException(candidate, "it contains a control character");
            }
        }

        path = path.Replace('\\', '/');
        if (path[0] == '/' || path[0] == '~' || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':'))
        {
            throw new UnsafePathException(candidate, "it is absolute");
        }

        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        string[] segments = path.Split('/');
        foreach (string segment in segments)
        {
            if (segment == "..")
            {
                throw new UnsafePathException(candidate, "'..' would leave the repository");
            }

            if (IsGitDirectoryName(segment))
            {
                throw new UnsafePathException(candidate, "files under .git/ belong to git, not to the change");
            }

            if (segment.Length == 0 || segment == ".")
            {
                throw new UnsafePathException(candidate, "it has an empty or '.' segment");
            }
        }

        return path;
    }

    /// <summary>
    /// Refuses a path when it, or any folder on the way to it, is a symbolic link (or another reparse point) in the
    /// tree under <paramref name="root"/>, dangling links included; then checks the full path stays under the root.
    /// </summary>
    /// <exception cref="UnsafePathException">The path passes through a link or resolves outside the root.</exception>
    public static void EnsureInsideTree(string root, string relativePath, string candidate)
    {
        string current = root;
        foreach (string segment in relativePath.Split('/'))
        {
            current = Path.Combine(current, segment);
            if (IsLink(current))
            {
                string at = Path.GetRelativePath(root, current).Replace('\\', '/');
                throw new UnsafePathException(candidate, $"'{at}' is a symbolic link, which could lead outside the repository");
            }
        }

        string full = Path.GetFullPath(Path.Combine(root, relativePath));
        string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (!full.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new UnsafePathException(candidate, "it resolves outside the repository");
        }
    }

    /// <summary>Whether a path exists as a link (without following it: a dangling link counts).</summary>
    public static bool IsLink(string fullPath)
    {
        try
        {
            FileAttributes attributes = File.GetAttributes(fullPath);
            return (attributes & FileAttributes.ReparsePoint) != 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private static bool IsGitDirectoryName(string segment)
    {
        // Windows ignores trailing dots and spaces, and knows .git by its 8.3 name; refuse those spellings everywhere.
        string trimmed = segment.TrimEnd('.', ' ');
        return trimmed.Equals(".git", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("git~1", StringComparison.OrdinalIgnoreCase);
    }
}
