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

        // Every name is checked before anything is written, so one hostile name leaves the folder untouched.
        var plan = new List<(CodeBlock Block, string Relative, string Full)>(blocks.Count);
        foreach (CodeBlock block in blocks)
        {
            string relative = block.FileName is { } name
                ? Normalize(name)
                : $"block-{block.Index + 1}{LanguageExtensions.For(block.Language)}";
            plan.Add((block, relative, EnsureInside(root, relative, block.FileName ?? relative)));
        }

        var saved = new List<SavedFile>(plan.Count);
        foreach ((CodeBlock block, string relative, string full) in plan)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            // Created folders are new and real; check again so a link that appeared meanwhile is not followed.
            EnsureInside(root, relative, block.FileName ?? relative);
            File.WriteAllText(full, block.Code, Utf8);
            saved.Add(new SavedFile(block.Index, relative, full));
        }

        return saved;
    }

    /// <summary>Normalises a model-written name to <c>a/b.cs</c> form, or refuses it (see <see cref="CodeFilePath.TryNormalize"/>).</summary>
    internal static string Normalize(string candidate) =>
        CodeFilePath.TryNormalize(candidate, out string? path, out string? reason) ? path : throw new UnsafeFileNameException(candidate, reason);

    /// <summary>Refuses a path that passes through a symbolic link under the root (dangling ones too) or resolves outside it.</summary>
    private static string EnsureInside(string root, string relative, string candidate) =>
        CodeFilePath.TryResolve(root, relative, out string? full, out string? reason) ? full : throw new UnsafeFileNameException(candidate, reason);
}
