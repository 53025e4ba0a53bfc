namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Splits text into lines the way git does: at <c>\n</c> only, each line keeping its ending (<c>\n</c>, or <c>\r\n</c>
/// since the <c>\r</c> is part of the line for git), the last line without one when the text does not end in <c>\n</c>.
/// </summary>
internal static class TextLines
{
    public static string[] SplitKeepingEndings(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int newline = text.IndexOf('\n', start);
            int end = newline < 0 ? text.Length : newline + 1;
            lines.Add(text[start..end]);
            start = end;
        }

        return [.. lines];
    }

    /// <summary>A line's ending: <c>\r\n</c>, <c>\n</c> or empty (the last line of a text without a final newline).</summary>
    public static string EndingOf(string line) =>
        line.EndsWith("\r\n", StringComparison.Ordinal) ? "\r\n" : line.EndsWith('\n') ? "\n" : string.Empty;

    /// <summary>A line without its ending.</summary>
    public static string ContentOf(string line) => line[..^EndingOf(line).Length];
}
