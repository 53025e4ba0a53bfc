namespace StreamingCodeGeneration.Tests;

/// <summary>
/// A plain whole-text, line-by-line implementation of the same fence rules, used as an oracle for the streaming
/// segmenter. Written independently of it: no held text, no deltas.
/// </summary>
internal static class ReferenceFenceParser
{
    public static List<TextSegment> Parse(string text)
    {
        var output = new List<TextSegment>();
        bool inBlock = false;
        char fenceChar = '\0';
        int fenceLength = 0;
        int closeLimit = 3;
        string? language = null;
        int blockIndex = -1;
        int blockCount = 0;
        int listColumn = -1;
        bool previousBlank = false;

        foreach ((string line, string ending) in Lines(text))
        {
            (int indent, int indentChars) = Indentation(line);
            string rest = line[indentChars..];
            string full = line + ending;
            if (inBlock)
            {
                int run = Run(rest, fenceChar);
                if (indent <= closeLimit && run >= fenceLength && rest[run..].Trim(' ', '\t').Length == 0)
                {
                    output.Add(new TextSegment(ChunkKind.Fence, language, blockIndex, full));
                    inBlock = false;
                    previousBlank = false;
                }
                else
                {
                    output.Add(new TextSegment(ChunkKind.Code, language, blockIndex, full));
                }

                continue;
            }

            int limit = listColumn >= 0 ? Math.Max(3, listColumn + 3) : 3;
            if (indent <= limit && rest.Length > 0 && (rest[0] == '`' || rest[0] == '~'))
            {
                char c = rest[0];
                int run = Run(rest, c);
                string info = rest[run..];
                if (run >= 3 && !(c == '`' && info.Contains('`')) && line.Length <= CodeFenceSegmenter.MaxHeldLength)
                {
                    inBlock = true;
                    fenceChar = c;
                    fenceLength = run;
                    language = CodeFenceInfo.GetLanguage(info.Trim(' ', '\t'));
                    blockIndex = blockCount++;
                    if (listColumn >= 0 && indent < listColumn)
                    {
                        listColumn = -1;
                    }

                    closeLimit = listColumn >= 0 ? listColumn + 3 : 3;
                    previousBlank = false;
                    output.Add(new TextSegment(ChunkKind.Fence, language, blockIndex, full));
                    continue;
                }
            }

            output.Add(new TextSegment(ChunkKind.Explanation, null, blockCount, full));
            if (line.Trim(' ', '\t').Length == 0)
            {
                previousBlank = true;
                continue;
            }

            int? content = ListItemContentColumn(indent, rest);
            if (content is int column)
            {
                listColumn = column;
            }
            else if (previousBlank)
            {
                if (indent == 0)
                {
                    listColumn = -1;
                }
                else if (indent < listColumn)
                {
                    listColumn = indent;
                }
            }

            previousBlank = false;
        }

        return SegmentationHarness.Merge(output.Where(s => s.Text.Length > 0));
    }

    private static int? ListItemContentColumn(int indent, string rest)
    {
        int marker;
        if (rest.Length > 0 && (rest[0] == '-' || rest[0] == '+' || rest[0] == '*'))
        {
            marker = 1;
        }
        else
        {
            int digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }

            if (digits == 0 || digits > 9 || digits >= rest.Length || (rest[digits] != '.' && rest[digits] != ')'))
            {
                return null;
            }

            marker = digits + 1;
        }

        if (marker == rest.Length)
        {
            return indent + marker + 1;
        }

        int spaces = 0;
        while (marker + spaces < rest.Length && (rest[marker + spaces] == ' ' || rest[marker + spaces] == '\t'))
        {
            spaces++;
        }

        if (spaces == 0)
        {
            return null;
        }

        if (marker + spaces == rest.Length)
        {
            return indent + marker + 1;
        }

        return indent + marker + (spaces > 4 ? 1 : spaces);
    }

    private static (int Columns, int Chars) Indentation(string line)
    {
        int columns = 0;
        int chars = 0;
        while (chars < line.Length && (line[chars] == ' ' || line[chars] == '\t'))
        {
            columns = line[chars] == '\t' ? ((columns / 4) + 1) * 4 : columns + 1;
            chars++;
        }

        return (columns, chars);
    }

    private static int Run(string text, char c)
    {
        int run = 0;
        while (run < text.Length && text[run] == c)
        {
            run++;
        }

        return run;
    }

    private static IEnumerable<(string Line, string Ending)> Lines(string text)
    {
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                yield return (text[start..i], "\n");
                start = i + 1;
            }
            else if (text[i] == '\r')
            {
                bool crlf = i + 1 < text.Length && text[i + 1] == '\n';
                yield return (text[start..i], crlf ? "\r\n" : "\r");
                i += crlf ? 1 : 0;
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            yield return (text[start..], string.Empty);
        }
    }
}
