using System.Diagnostics.CodeAnalysis;

namespace StreamingCodeGeneration;

/// <summary>
/// Checks a file name the model wrote (<see cref="CodeBlock.FileName"/>, a path in an answer) before a host writes
/// to it. The model's text is untrusted: a name may be absolute, climb out with <c>..</c>, reach into <c>.git</c>, or
/// lead through a symbolic link that already exists in the folder. Check the name with <see cref="TryNormalize"/>, then
/// the place with <see cref="TryResolve"/> just before writing.
/// </summary>
/// <example>
/// <code>
/// if (!CodeFilePath.TryNormalize(block.FileName ?? "answer.txt", out string? relative, out string? reason)
///     || !CodeFilePath.TryResolve(folder, relative, out string? full, out reason))
/// {
///     throw new InvalidOperationException($"Refused '{block.FileName}': {reason}.");
/// }
///
/// File.WriteAllText(full, block.Code);
/// </code>
/// </example>
public static class CodeFilePath
{
    /// <summary>
    /// Normalizes a model-written relative path to <c>a/b.cs</c> form (<c>/</c> separators, surrounding white space and
    /// leading <c>./</c> removed; backslashes are read as separators, since models trained on Windows paths write
    /// them), or says why it is refused: empty, a control character, absolute (<c>/x</c>, <c>~/x</c>, <c>C:\x</c>,
    /// <c>\\server\x</c>), a <c>:</c> anywhere (a drive or an NTFS stream), a <c>..</c>, an empty or <c>.</c> segment, or
    /// a segment that is <c>.git</c> in any spelling Windows accepts (<c>.GIT</c>, <c>.git.</c>, <c>git~1</c>).
    /// </summary>
    /// <param name="fileName">The path as the model wrote it.</param>
    /// <param name="relativePath">The normalized path, when it is accepted.</param>
    /// <param name="reason">Why it is refused (for example <c>'..' would leave the folder</c>), when it is not.</param>
    /// <returns><see langword="true"/> when the path is accepted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fileName"/> is <see langword="null"/>.</exception>
    public static bool TryNormalize(
        string fileName, [NotNullWhen(true)] out string? relativePath, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        relativePath = null;
        reason = Refusal(fileName, out string path);
        if (reason is not null)
        {
            return false;
        }

        relativePath = path;
        return true;
    }

    /// <summary>
    /// Resolves a path that <see cref="TryNormalize"/> accepted against the folder it will be written in, and refuses
    /// it when the path, or any folder on the way, is a symbolic link (or another reparse point) under
    /// <paramref name="folder"/>, dangling links included, or when it resolves outside the folder. Call it just before
    /// writing: a link created after the check is not seen.
    /// </summary>
    /// <param name="folder">The folder the file goes in.</param>
    /// <param name="relativePath">A path in <c>a/b.cs</c> form, as <see cref="TryNormalize"/> returns it.</param>
    /// <param name="fullPath">The file's full path, when it is accepted.</param>
    /// <param name="reason">Why it is refused, when it is not.</param>
    /// <returns><see langword="true"/> when the path is accepted.</returns>
    /// <exception cref="ArgumentException"><paramref name="folder"/> or <paramref name="relativePath"/> is null or empty.</exception>
    public static bool TryResolve(
        string folder, string relativePath, [NotNullWhen(true)] out string? fullPath, [NotNullWhen(false)] out string? reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        fullPath = null;
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string current = root;
        foreach (string segment in relativePath.Split('/'))
        {
            current = Path.Combine(current, segment);
            if (IsLink(current))
            {
                reason = $"'{Path.GetRelativePath(root, current).Replace('\\', '/')}' is a symbolic link, which could lead outside the folder";
                return false;
            }
        }

        string full = Path.GetFullPath(Path.Combine(root, relativePath.Replace('/', Path.DirectorySeparatorChar)));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            reason = "it resolves outside the folder";
            return false;
        }

        fullPath = full;
        reason = null;
        return true;
    }

    /// <summary>Whether a path exists as a symbolic link or another reparse point, without following it (a dangling link counts).</summary>
    internal static bool IsLink(string fullPath)
    {
        try
        {
            return (File.GetAttributes(fullPath) & FileAttributes.ReparsePoint) != 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private static string? Refusal(string fileName, out string path)
    {
        path = fileName.Trim();
        if (path.Length == 0)
        {
            return "it is empty";
        }

        foreach (char c in path)
        {
            if (char.IsControl(c))
            {
                return "it contains a control character";
            }
        }

        path = path.Replace('\\', '/');
        if (path[0] == '/' || path[0] == '~' || (path.Length >= 2 && path[1] == ':'))
        {
            return "it is an absolute path";
        }

        if (path.Contains(':', StringComparison.Ordinal))
        {
            return "it contains ':', which names a drive or an NTFS stream";
        }

        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        foreach (string segment in path.Split('/'))
        {
            if (segment == "..")
            {
                return "'..' would leave the folder";
            }

            if (segment.Length == 0 || segment == ".")
            {
                return "it has an empty or '.' part";
            }

            // Windows ignores trailing dots and spaces, and knows .git by its 8.3 name: refuse those spellings everywhere.
            string trimmed = segment.TrimEnd('.', ' ');
            if (trimmed.Equals(".git", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("git~1", StringComparison.OrdinalIgnoreCase))
            {
                return "files under .git/ belong to git";
            }
        }

        return null;
    }
}
