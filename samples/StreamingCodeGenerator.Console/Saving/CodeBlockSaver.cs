using System.Text;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// Writes an answer's code blocks into a folder (<c>--save</c>): each under the file name the answer gives it, else
/// <c>block-N.ext</c> by its language. File names come from the model, so they are treated as hostile: every one is
/// checked before anything is written, and one that is absolute, contains <c>..</c>, goes under <c>.git</c>, or passes
/// through a symbolic link refuses the whole save. A later block with the same name replaces an earlier one (a model
/// that revises a file repeats it).
/// </summary>
internal static class CodeBlockSaver
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <exception cref="UnsafeFileNameException">A file name would leave the folder; nothing was written.</exception>
    public static IReadOnlyList<SavedFile> Save(string folder, IReadOnlyList<CodeBlock> blocks)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(blocks);
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));

        var plan = new List<(CodeBlock Block, string Relative)>(blocks.Count);
        foreach (CodeBlock block in blocks)
        {
            string relative = block.FileName is { } name
                ? Normalize(name)
                : $"block-{block.Index + 1}{LanguageExtensions.For(block.Language)}";
            plan.Add((block, relative));
        }

        foreach ((CodeBlock block, string relative) in plan)
        {
            EnsureInside(root, relative, block.FileName ?? relative);
        }

        var saved = new List<SavedFile>(plan.Count);
        foreach ((CodeBlock block, string relative) in plan)
        {
            string full = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            // Created folders are new and real; check again so a link that appeared meanwhile is not followed.
            EnsureInside(root, relative, block.FileName ?? relative);
            File.WriteAllText(full, block.Code, Utf8);
            saved.Add(new SavedFile(block.Index, relative, full));
        }

        return saved;
    }

    /// <summary>Normalises a model-written name to <c>a/b.cs</c> form, or refuses it.</summary>
    internal static string Normalize(string candidate)
    {
        string path = candidate.Trim();
        if (path.Length == 0)
        {
            throw new UnsafeFileNameException(candidate, "it is empty");
        }

        foreach (char c in path)
        {
            if (char.IsControl(c))
            {
                throw new UnsafeFileNameException(candidate, "it contains a control character");
            }
        }

        // Models trained on Windows paths write backslashes: read them as separators everywhere.
        path = path.Replace('\\', '/');
        if (path[0] == '/' || path[0] == '~' || path.Contains(':', StringComparison.Ordinal))
        {
            throw new UnsafeFileNameException(candidate, "it is an absolute path");
        }

        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        foreach (string segment in path.Split('/'))
        {
            if (segment == "..")
            {
                throw new UnsafeFileNameException(candidate, "'..' would leave the folder");
            }

            if (segment.Length == 0 || segment == ".")
            {
                throw new UnsafeFileNameException(candidate, "it has an empty or '.' part");
            }

            string trimmed = segment.TrimEnd('.', ' ');
            if (trimmed.Equals(".git", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("git~1", StringComparison.OrdinalIgnoreCase))
            {
                throw new UnsafeFileNameException(candidate, "files under .git belong to git");
            }
        }

        return path;
    }

    /// <summary>Refuses a path that passes through a symbolic link under the root (dangling ones too) or resolves outside it.</summary>
    private static void EnsureInside(string root, string relative, string candidate)
    {
        string current = root;
        foreach (string segment in relative.Split('/'))
        {
            current = Path.Combine(current, segment);
            if (IsLink(current))
            {
                string at = Path.GetRelativePath(root, current).Replace('\\', '/');
                throw new UnsafeFileNameException(candidate, $"'{at}' is a symbolic link, which could lead outside the folder");
            }
        }

        string full = Path.GetFullPath(Path.Combine(root, relative));
        if (!full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new UnsafeFileNameException(candidate, "it resolves outside the folder");
        }
    }

    private static bool IsLink(string path)
    {
        try
        {
            return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }
}
