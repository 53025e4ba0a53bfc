using System.Globalization;
using System.Text;
using DiffPlex;
using DiffPlex.Model;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Writes git-style unified diffs (<c>diff --git a/… b/…</c>) with real hunks and three lines of context, new and
/// deleted files, and "\ No newline at end of file" markers — the format <c>git apply</c> reads. Lines are compared
/// exactly, line endings included, so CRLF files round-trip.
/// </summary>
internal static class UnifiedDiffWriter
{
    public const int ContextLines = 3;
    private const string NewFileMode = "100644";
    private const string NoNewlineMarker = "\\ No newline at end of file\n";

    private static readonly Differ Differ = new();

    /// <summary>Writes the diff of every change, in the order given, and returns it with each file's line counts.</summary>
    public static (string Diff, IReadOnlyList<FileChange> Files) Write(IReadOnlyList<PlannedChange> changes)
    {
        var diff = new StringBuilder();
        var files = new List<FileChange>(changes.Count);
        foreach (PlannedChange change in changes)
        {
            files.Add(AppendFile(diff, change));
        }

        return (diff.ToString(), files);
    }

    private static FileChange AppendFile(StringBuilder diff, PlannedChange change)
    {
        string oldText = change.OldText ?? string.Empty;
        string newText = change.NewText ?? string.Empty;
        string a = Quote("a/" + change.Path);
        string b = Quote("b/" + change.Path);

        diff.Append("diff --git ").Append(a).Append(' ').Append(b).Append('\n');
        switch (change.Kind)
        {
            case FileChangeKind.Added:
                diff.Append("new file mode ").Append(NewFileMode).Append('\n');
                break;
            case FileChangeKind.Deleted:
                diff.Append("deleted file mode ").Append(change.OldMode).Append('\n');
                break;
        }

        string[] oldLines = TextLines.SplitKeepingEndings(oldText);
        string[] newLines = TextLines.SplitKeepingEndings(newText);
        if (oldLines.Length == 0 && newLines.Length == 0)
        {
            // An empty file added or deleted: git writes the header alone, with no ---/+++ lines and no hunk.
            return new FileChange(change.Path, change.Kind, 0, 0);
        }

        // git adds a tab after a name with a space, so tools that stop at white space still find the whole name.
        string tab = change.Path.Contains(' ', StringComparison.Ordinal) ? "\t" : string.Empty;
        diff.Append("--- ").Append(change.Kind == FileChangeKind.Added ? "/dev/null" : a + tab).Append('\n');
        diff.Append("+++ ").Append(change.Kind == FileChangeKind.Deleted ? "/dev/null" : b + tab).Append('\n');

        DiffResult result = Differ.CreateCustomDiffs(oldText, newText, ignoreWhiteSpace: false, chunker: TextLines.SplitKeepingEndings);
        int added = 0;
        int removed = 0;
        IList<DiffBlock> blocks = result.DiffBlocks;
        int first = 0;
        while (first < blocks.Count)
        {
            int last = first;
            while (last + 1 < blocks.Count && blocks[last + 1].DeleteStartA - EndA(blocks[last]) <= 2 * ContextLines)
            {
                last++;
            }

            int oldStart = Math.Max(0, blocks[first].DeleteStartA - ContextLines);
            int newStart = blocks[first].InsertStartB - (blocks[first].DeleteStartA - oldStart);
            int oldEnd = Math.Min(oldLines.Length, EndA(blocks[last]) + ContextLines);
            int newEnd = EndB(blocks[last]) + (oldEnd - EndA(blocks[last]));

            diff.Append("@@ -").Append(Range(oldStart, oldEnd - oldStart))
                .Append(" +").Append(Range(newStart, newEnd - newStart)).Append(" @@\n");

            int i = oldStart;
            for (int k = first; k <= last; k++)
            {
                DiffBlock block = blocks[k];
                for (; i < block.DeleteStartA; i++)
                {
                    AppendLine(diff, ' ', oldLines[i]);
                }

                for (int d = 0; d < block.DeleteCountA; d++)
                {
                    AppendLine(diff, '-', oldLines[block.DeleteStartA + d]);
                }

                for (int n = 0; n < block.InsertCountB; n++)
                {
                    AppendLine(diff, '+', newLines[block.InsertStartB + n]);
                }

                removed += block.DeleteCountA;
                added += block.InsertCountB;
                i = EndA(block);
            }

            for (; i < oldEnd; i++)
            {
                AppendLine(diff, ' ', oldLines[i]);
            }

            first = last + 1;
        }

        return new FileChange(change.Path, change.Kind, added, removed);
    }

    private static int EndA(DiffBlock block) => block.DeleteStartA + block.DeleteCountA;

    private static int EndB(DiffBlock block) => block.InsertStartB + block.InsertCountB;

    /// <summary>A hunk range: 1-based start and count; count 1 is left out, and an empty range names the line before it.</summary>
    private static string Range(int start, int count) => count switch
    {
        0 => string.Create(CultureInfo.InvariantCulture, $"{start},0"),
        1 => (start + 1).ToString(CultureInfo.InvariantCulture),
        _ => string.Create(CultureInfo.InvariantCulture, $"{start + 1},{count}"),
    };

    private static void AppendLine(StringBuilder diff, char prefix, string line)
    {
        diff.Append(prefix).Append(line);
        if (!line.EndsWith('\n'))
        {
            diff.Append('\n').Append(NoNewlineMarker);
        }
    }

    /// <summary>Quotes a name as git does when it holds a double quote, a backslash or a control character.</summary>
    private static string Quote(string name)
    {
        bool needsQuotes = false;
        foreach (char c in name)
        {
            if (c is '"' or '\\' || char.IsControl(c))
            {
                needsQuotes = true;
                break;
            }
        }

        if (!needsQuotes)
        {
            return name;
        }

        var quoted = new StringBuilder(name.Length + 8).Append('"');
        foreach (char c in name)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                '\t' => quoted.Append("\\t"),
                '\n' => quoted.Append("\\n"),
                _ when char.IsControl(c) => quoted.Append('\\').Append(Convert.ToString(c, 8).PadLeft(3, '0')),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
