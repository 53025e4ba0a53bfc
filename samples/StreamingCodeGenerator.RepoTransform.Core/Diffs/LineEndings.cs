using DiffPlex;
using DiffPlex.Model;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Keeps a file's own line endings, byte order mark and final-newline state when the model rewrites it. The model sees
/// and writes <c>\n</c>; a rewritten line that matches an original line gets that line's ending back, a new line the
/// file's dominant ending, so a CRLF file stays CRLF and a file with mixed endings changes only where it was edited.
/// </summary>
internal static class LineEndings
{
    private const char ByteOrderMark = '\uFEFF';

    private static readonly Differ Differ = new();

    /// <summary>The text shown to the model: no byte order mark, <c>\r\n</c> as <c>\n</c>.</summary>
    public static string ToDisplay(string text)
    {
        if (text.Length > 0 && text[0] == ByteOrderMark)
        {
            text = text[1..];
        }

        return text.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    /// <summary>The model's text for a new file: its own <c>\r\n</c> read as <c>\n</c>.</summary>
    public static string FromModel(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>
    /// Rewrites <paramref name="modelText"/> (<c>\n</c> endings) in the style of <paramref name="original"/> (exact text).
    /// </summary>
    public static string Adapt(string original, string modelText)
    {
        bool bom = original.Length > 0 && original[0] == ByteOrderMark;
        string body = bom ? original[1..] : original;
        string[] oldLines = TextLines.SplitKeepingEndings(body);
        string[] newKeys = SplitWithoutEndings(FromModel(modelText));
        if (newKeys.Length == 0)
        {
            return bom ? ByteOrderMark.ToString() : string.Empty;
        }

        string[] oldKeys = new string[oldLines.Length];
        int crlf = 0;
        int lf = 0;
        for (int i = 0; i < oldLines.Length; i++)
        {
            oldKeys[i] = TextLines.ContentOf(oldLines[i]);
            switch (TextLines.EndingOf(oldLines[i]))
            {
                case "\r\n":
                    crlf++;
                    break;
                case "\n":
                    lf++;
                    break;
            }
        }

        string dominant = crlf > lf ? "\r\n" : "\n";
        bool keepsNoFinalNewline = body.Length > 0 && !body.EndsWith('\n');
        int[] matches = MatchLines(oldKeys, newKeys);

        var result = new System.Text.StringBuilder(modelText.Length + (newKeys.Length * (dominant.Length - 1)) + 1);
        if (bom)
        {
            result.Append(ByteOrderMark);
        }

        for (int j = 0; j < newKeys.Length; j++)
        {
            string matched = matches[j] >= 0 ? TextLines.EndingOf(oldLines[matches[j]]) : string.Empty;
            string ending = j == newKeys.Length - 1 && keepsNoFinalNewline ? string.Empty
                : matched.Length > 0 ? matched
                : dominant;
            result.Append(newKeys[j]).Append(ending);
        }

        return result.ToString();
    }

    /// <summary>Lines of a <c>\n</c> text without endings; a final <c>\n</c> ends the last line rather than starting an empty one.</summary>
    private static string[] SplitWithoutEndings(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        string[] lines = text.Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>For each new line, the index of the unchanged old line it corresponds to, or -1 for an inserted line.</summary>
    private static int[] MatchLines(string[] oldKeys, string[] newKeys)
    {
        int[] matches = new int[newKeys.Length];
        Array.Fill(matches, -1);
        if (oldKeys.Length == 0)
        {
            return matches;
        }

        // Keys hold no '\n', so joining with '\n' and splitting at '\n' gives DiffPlex exactly these lines.
        DiffResult diff = Differ.CreateCustomDiffs(
            string.Join('\n', oldKeys), string.Join('\n', newKeys), ignoreWhiteSpace: false, chunker: text => text.Split('\n'));
        int i = 0;
        int j = 0;
        foreach (DiffBlock block in diff.DiffBlocks)
        {
            while (i < block.DeleteStartA && j < block.InsertStartB)
            {
                matches[j++] = i++;
            }

            i = block.DeleteStartA + block.DeleteCountA;
            j = block.InsertStartB + block.InsertCountB;
        }

        while (i < oldKeys.Length && j < newKeys.Length)
        {
            matches[j++] = i++;
        }

        return matches;
    }
}
