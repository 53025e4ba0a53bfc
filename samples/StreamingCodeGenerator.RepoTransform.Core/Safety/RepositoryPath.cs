namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Checks a path named by the model before anything uses it, with the library's <see cref="CodeFilePath"/>: it must be
/// relative, stay inside the repository, not touch <c>.git</c>, and not pass through a symbolic link that exists in the tree.
/// </summary>
internal static class RepositoryPath
{
    /// <summary>Normalises a model-written path to the repository's form (<c>/</c> separators, no leading <c>./</c>) or refuses it.</summary>
    /// <exception cref="UnsafePathException">The path is empty, absolute, contains <c>..</c>, <c>.git</c> or a control character.</exception>
    public static string Normalize(string candidate) =>
        CodeFilePath.TryNormalize(candidate, out string? path, out string? reason) ? path : throw new UnsafePathException(candidate, reason);

    /// <summary>
    /// Refuses a path when it, or any folder on the way to it, is a symbolic link (or another reparse point) in the
    /// tree under <paramref name="root"/>, dangling links included, or when it resolves outside the root.
    /// </summary>
    /// <exception cref="UnsafePathException">The path passes through a link or resolves outside the root.</exception>
    public static void EnsureInsideTree(string root, string relativePath, string candidate)
    {
        if (!CodeFilePath.TryResolve(root, relativePath, out _, out string? reason))
        {
            throw new UnsafePathException(candidate, reason);
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
}
