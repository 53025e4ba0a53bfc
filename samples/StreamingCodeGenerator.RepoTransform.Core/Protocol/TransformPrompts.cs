using System.Globalization;
using System.Text;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The prompt protocol (see README): the system prompts, how files are shown to the model, and the requests of the
/// generation and review rounds.
/// </summary>
internal static class TransformPrompts
{
    /// <summary>How the model must write files; shared by both rounds.</summary>
    public const string FileFormat =
        """
        How to write files (follow exactly; your answer is parsed by a program):
        - For every file you create or change, write one fenced code block: the opening fence is three backticks, the
          language, a space and path=<path relative to the repository root>, for example ```python path=src/app.py
          The block holds the file's COMPLETE new contents: never a diff, an excerpt or a placeholder such as "...".
        - If the contents contain a line starting with ```, use a longer fence (````) to open and close that block.
        - To delete a file, write an empty block whose language is delete:
          ```delete path=old/name.txt
          ```
        - To rename a file, delete the old path and create the new one.
        - Paths use forward slashes, stay inside the repository, and never touch .git/. Quote a path with spaces: path="a b.txt".
        - Leave out the files you do not change. Write no other code blocks.
        - Rewrite only files whose full contents you were shown; you may create new files.
        """;

    /// <summary>The system prompt of the generation round.</summary>
    public const string GenerationSystemPrompt =
        "You are an expert software engineer who changes a code repository as asked. You are shown the task, the list " +
        "of the repository's files, and the full contents of the files most relevant to the task. Make the smallest " +
        "complete change that does the task, in the repository's own style. Start with one or two sentences that say " +
        "what you change, then write the files.\n\n" + FileFormat;

    /// <summary>The system prompt of a review round.</summary>
    public const string ReviewSystemPrompt =
        "You review a change that was made to a code repository for a task. You are shown the task, the change as a " +
        "unified diff, and the full new contents of the files it writes.\n\n" +
        "Your answer's first line must be exactly one of these two markers, alone on the line:\n" +
        "[CONFIDENT] - the change does the task completely and correctly; write nothing else.\n" +
        "[REVISION NEEDED] - it does not; then give one short sentence per problem and write every file that must " +
        "change again, in full, in the format below. Files you do not write keep the contents shown; write a file " +
        "with its original contents to undo its change.\n\n" + FileFormat;

    /// <summary>The system prompt of a fix round, after a check failed.</summary>
    public const string FixSystemPrompt =
        "You fix a change that was made to a code repository for a task. The change fails one of the repository's checks " +
        "(a command run on the repository with the change applied). You are shown the task, the change as a unified diff, " +
        "the full new contents of the files it writes, the command and the end of its output. Start with one sentence " +
        "saying what you fix, then write every file that must change again, in full, in the format below. Files you do " +
        "not write keep the contents shown; write a file with its original contents to undo its change.\n\n" + FileFormat;

    public static CodeGenerationRequest Generation(string prompt, RepositorySnapshot snapshot, IReadOnlyList<RepositoryFile> shown, int maxListedPaths)
    {
        var user = new StringBuilder();
        AppendListing(user, snapshot, maxListedPaths);
        if (shown.Count > 0)
        {
            user.Append("\nFull contents of the files most relevant to the task:\n\n");
            foreach (RepositoryFile file in shown)
            {
                user.Append(FileBlock(file.Path, file.DisplayText)).Append('\n');
            }
        }
        else
        {
            user.Append("\nNo file contents fit in the prompt; you may create new files only.\n");
        }

        user.Append("\nTask:\n").Append(prompt.Trim()).Append('\n');
        return new CodeGenerationRequest { SystemPrompt = GenerationSystemPrompt, Prompt = user.ToString() };
    }

    public static CodeGenerationRequest Review(string prompt, string diff, IReadOnlyList<(string Path, string Text)> written)
    {
        var user = new StringBuilder();
        AppendChange(user, prompt, diff, written);
        user.Append("\nReview the change now. Your first line is [CONFIDENT] or [REVISION NEEDED].\n");
        return new CodeGenerationRequest { SystemPrompt = ReviewSystemPrompt, Prompt = user.ToString() };
    }

    /// <summary>A fix round: the change, then the failed check's command, how it ended, and the end of its output.</summary>
    public static CodeGenerationRequest Fix(string prompt, string diff, IReadOnlyList<(string Path, string Text)> written, CheckRun check, string output, bool trimmed)
    {
        var user = new StringBuilder();
        AppendChange(user, prompt, diff, written);
        string ending = check.TimedOut
            ? "was stopped: it ran past its time limit"
            : string.Create(CultureInfo.InvariantCulture, $"failed with exit code {check.ExitCode}");
        user.Append("\nWith the change applied, the check `").Append(check.Command.ReplaceLineEndings(" ")).Append("` ").Append(ending).Append('.');
        if (output.Length == 0)
        {
            user.Append(" It printed nothing.\n");
        }
        else
        {
            user.Append(trimmed ? " The end of its output:\n\n" : " Its output:\n\n");
            string fence = CodeFence.BackticksFor(output);
            user.Append(fence).Append("text\n").Append(output);
            if (output[^1] != '\n')
            {
                user.Append('\n');
            }

            user.Append(fence).Append('\n');
        }

        user.Append("\nFix the change now, so that the check passes and the task is still done.\n");
        return new CodeGenerationRequest { SystemPrompt = FixSystemPrompt, Prompt = user.ToString() };
    }

    /// <summary>A file in the protocol's own format: <c>```lang path=…</c>, its text, the closing fence.</summary>
    public static string FileBlock(string path, string text)
    {
        string fence = CodeFence.BackticksFor(text);
        var block = new StringBuilder(text.Length + path.Length + 32);
        block.Append(fence).Append(Language(path)).Append(" path=").Append(QuotePath(path)).Append('\n').Append(text);
        if (text.Length > 0 && text[^1] != '\n')
        {
            block.Append('\n');
        }

        return block.Append(fence).Append('\n').ToString();
    }

    public static string QuotePath(string path) => path.Contains(' ', StringComparison.Ordinal) ? "\"" + path + "\"" : path;

    /// <summary>A language tag for the fence: the usual name for common extensions, else <c>text</c>.</summary>
    public static string Language(string path)
    {
        string extension = Path.GetExtension(path).TrimStart('.').ToLowerInvariant();
        return extension switch
        {
            "cs" => "csharp",
            "fs" => "fsharp",
            "py" => "python",
            "js" or "mjs" or "cjs" => "javascript",
            "ts" or "mts" => "typescript",
            "tsx" => "tsx",
            "jsx" => "jsx",
            "rb" => "ruby",
            "rs" => "rust",
            "go" => "go",
            "java" => "java",
            "kt" or "kts" => "kotlin",
            "c" or "h" => "c",
            "cc" or "cpp" or "cxx" or "hpp" => "cpp",
            "sh" or "bash" => "bash",
            "ps1" => "powershell",
            "md" => "markdown",
            "json" => "json",
            "yml" or "yaml" => "yaml",
            "toml" => "toml",
            "xml" or "csproj" or "props" or "targets" => "xml",
            "html" or "htm" => "html",
            "css" => "css",
            "sql" => "sql",
            "" => "text",
            _ when extension.All(char.IsAsciiLetterOrDigit) => extension,
            _ => "text",
        };
    }

    private static void AppendChange(StringBuilder user, string prompt, string diff, IReadOnlyList<(string Path, string Text)> written)
    {
        user.Append("Task:\n").Append(prompt.Trim()).Append("\n\nThe change as a unified diff:\n\n");
        string fence = CodeFence.BackticksFor(diff);
        user.Append(fence).Append("diff\n").Append(diff);
        if (diff.Length > 0 && diff[^1] != '\n')
        {
            user.Append('\n');
        }

        user.Append(fence).Append('\n');
        if (written.Count > 0)
        {
            user.Append("\nFull new contents of the files the change writes:\n\n");
            foreach ((string path, string text) in written)
            {
                user.Append(FileBlock(path, text)).Append('\n');
            }
        }
    }

    private static void AppendListing(StringBuilder user, RepositorySnapshot snapshot, int maxListedPaths)
    {
        int count = snapshot.Files.Count;
        user.Append(CultureInfo.InvariantCulture, $"The repository has {count} file{(count == 1 ? "" : "s")}:\n");
        int listed = Math.Min(count, maxListedPaths);
        for (int i = 0; i < listed; i++)
        {
            user.Append(QuotePath(snapshot.Files[i].Path)).Append('\n');
        }

        if (listed < count)
        {
            user.Append(CultureInfo.InvariantCulture, $"… and {count - listed} more.\n");
        }
    }
}
