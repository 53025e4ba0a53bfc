namespace StreamingCodeGeneration;

/// <summary>
/// Reads a fence's info string (language, file name) and spots a file name in the prose line before a fence.
/// Runs once per block, never per delta.
/// </summary>
internal static class CodeFenceInfo
{
    private const int MaxFileNameLength = 260;
    private const int MaxExtensionLength = 10;

    /// <summary>
    /// Splits a full opening fence line (without its line ending) into its indentation (in spaces) and info string.
    /// </summary>
    public static ReadOnlySpan<char> GetInfoString(ReadOnlySpan<char> fenceLine, out int indentation)
    {
        int i = 0;
        indentation = 0;
        while (i < fenceLine.Length && (fenceLine[i] == ' ' || fenceLine[i] == '\t'))
        {
            indentation = fenceLine[i] == '\t' ? ((indentation / 4) + 1) * 4 : indentation + 1;
            i++;
        }

        if (i == fenceLine.Length)
        {
            return ReadOnlySpan<char>.Empty;
        }

        char fenceChar = fenceLine[i];
        while (i < fenceLine.Length && fenceLine[i] == fenceChar)
        {
            i++;
        }

        // "this is trimmed of leading and trailing spaces or tabs and called the info string"
        return fenceLine[i..].Trim(" \t");
    }

    /// <summary>
    /// The language named by an info string: its first word ("The first word of the info string is typically used
    /// to specify the language of the code sample"). <c>lang:path</c> gives <c>lang</c>; a first word that is itself a
    /// file name (<c>```sort.py</c>) gives <see langword="null"/>.
    /// </summary>
    public static string? GetLanguage(ReadOnlySpan<char> info)
    {
        ReadOnlySpan<char> word = FirstWord(info);
        if (word.IsEmpty)
        {
            return null;
        }

        int colon = word.IndexOf(':');
        if (colon > 0)
        {
            return word[..colon].ToString();
        }

        if (colon == 0 || LooksLikeFileName(word, plain: false))
        {
            return null;
        }

        return word.ToString();
    }

    /// <summary>
    /// The file name an info string names: <c>lang:path</c>, a first word that is a file name, or a
    /// <c>title=</c>, <c>filename=</c>, <c>file=</c> or <c>path=</c> attribute (quoted or not).
    /// </summary>
    public static string? GetFileName(ReadOnlySpan<char> info)
    {
        ReadOnlySpan<char> word = FirstWord(info);
        if (word.IsEmpty)
        {
            return null;
        }

        int colon = word.IndexOf(':');
        if (colon >= 0)
        {
            ReadOnlySpan<char> path = word[(colon + 1)..];
            if (LooksLikeFileName(path, plain: false))
            {
                return path.ToString();
            }
        }
        else if (LooksLikeFileName(word, plain: false))
        {
            return word.ToString();
        }

        ReadOnlySpan<char> rest = info[word.Length..];
        while (!rest.IsEmpty)
        {
            rest = rest.TrimStart(" \t,");
            int equals = rest.IndexOf('=');
            if (equals <= 0)
            {
                return null;
            }

            ReadOnlySpan<char> key = rest[..equals];
            int keyStart = key.LastIndexOfAny(' ', '\t');
            key = key[(keyStart + 1)..];
            rest = rest[(equals + 1)..];

            ReadOnlySpan<char> value;
            if (!rest.IsEmpty && (rest[0] == '"' || rest[0] == '\''))
            {
                int close = rest[1..].IndexOf(rest[0]);
                value = close < 0 ? rest[1..] : rest.Slice(1, close);
                rest = close < 0 ? ReadOnlySpan<char>.Empty : rest[(close + 2)..];
            }
            else
            {
                int end = rest.IndexOfAny(' ', '\t', ',');
                value = end < 0 ? rest : rest[..end];
                rest = end < 0 ? ReadOnlySpan<char>.Empty : rest[end..];
            }

            // path=, file= and filename= name a file whatever it looks like (LICENSE, bin/run, "a b.txt"); a title is
            // often a caption ("Bubble sort"), so it counts only when it looks like a file name.
            bool explicitFile = key.Equals("filename", StringComparison.OrdinalIgnoreCase)
                || key.Equals("file", StringComparison.OrdinalIgnoreCase)
                || key.Equals("path", StringComparison.OrdinalIgnoreCase);
            if (explicitFile ? IsExplicitFileName(value) : key.Equals("title", StringComparison.OrdinalIgnoreCase) && LooksLikeFileName(value, plain: false))
            {
                return value.ToString();
            }
        }

        return null;
    }

    /// <summary>A value given explicitly as a file name: not empty, not too long, on one line, without control characters.</summary>
    private static bool IsExplicitFileName(ReadOnlySpan<char> value)
    {
        value = value.Trim(" \t");
        if (value.IsEmpty || value.Length > MaxFileNameLength)
        {
            return false;
        }

        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The file name named by the last non-empty prose line before a fence, when that line is nothing but a file name
    /// with optional decoration: <c>**`sort.py`**</c>, <c>File: sort.py</c>, <c>`src/app/main.py`:</c>,
    /// <c>### sort.py</c>, <c>- `main.py`</c>. A line with any other words gives <see langword="null"/>.
    /// </summary>
    public static string? GetFileNameFromProseLine(ReadOnlySpan<char> line)
    {
        line = line.Trim(" \t\r\n");
        if (line.IsEmpty || line.Length > MaxFileNameLength + 32)
        {
            return null;
        }

        // Drop emphasis and code-span marks: "**`sort.py`**" -> "sort.py". Code spans make a name unambiguous.
        Span<char> buffer = stackalloc char[line.Length];
        int length = 0;
        bool quoted = false;
        foreach (char c in line)
        {
            if (c == '`')
            {
                quoted = true;
            }
            else if (c != '*')
            {
                buffer[length++] = c;
            }
        }

        ReadOnlySpan<char> text = buffer[..length].Trim(" \t");

        // ATX heading: "### sort.py".
        int hashes = 0;
        while (hashes < text.Length && hashes < 6 && text[hashes] == '#')
        {
            hashes++;
        }

        if (hashes > 0 && hashes < text.Length && (text[hashes] == ' ' || text[hashes] == '\t'))
        {
            text = text[hashes..].TrimStart(" \t");
        }

        text = TrimListMarker(text);
        text = text.TrimEnd(" \t:");

        bool labelled = false;
        ReadOnlySpan<char> label = TrimLabel(text);
        if (label.Length != text.Length)
        {
            labelled = true;
            text = label.Trim(" \t:");
        }

        bool plain = !quoted && !labelled && text.IndexOfAny('/', '\\') < 0;
        return LooksLikeFileName(text, plain) ? text.ToString() : null;
    }

    /// <summary>
    /// Whether <paramref name="text"/> is a single token that looks like a path ending in a file name with an
    /// extension (letters and digits, at least one letter), or is <c>Dockerfile</c> or <c>Makefile</c>.
    /// </summary>
    /// <param name="text">The candidate.</param>
    /// <param name="plain">
    /// The name appeared as plain prose (not in a code span, after a label or with a directory): then the extension
    /// must be lower case and <c>Name.js</c> with a capitalised stem (Node.js, Vue.js) is taken for a product name.
    /// </param>
    public static bool LooksLikeFileName(ReadOnlySpan<char> text, bool plain)
    {
        if (text.Length < 2 || text.Length > MaxFileNameLength)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == '\\'))
            {
                return false;
            }
        }

        int slash = text.LastIndexOfAny('/', '\\');
        ReadOnlySpan<char> name = text[(slash + 1)..];
        if (name.SequenceEqual("Dockerfile") || name.SequenceEqual("Makefile"))
        {
            return true;
        }

        int dot = name.LastIndexOf('.');
        if (dot < 0 || dot == name.Length - 1 || name.Length - dot - 1 > MaxExtensionLength)
        {
            return false;
        }

        ReadOnlySpan<char> extension = name[(dot + 1)..];
        bool hasLetter = false;
        bool hasUpper = false;
        foreach (char c in extension)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }

            hasLetter |= char.IsAsciiLetter(c);
            hasUpper |= char.IsAsciiLetterUpper(c);
        }

        if (!hasLetter)
        {
            return false;
        }

        ReadOnlySpan<char> stem = name[..dot];
        if (stem.IsEmpty)
        {
            // A dot file such as ".gitignore" or ".env".
            return extension.Length >= 2 && !plain;
        }

        if (plain && (hasUpper || (extension.SequenceEqual("js") && char.IsAsciiLetterUpper(stem[0]))))
        {
            return false;
        }

        return stem[^1] != '.';
    }

    private static ReadOnlySpan<char> FirstWord(ReadOnlySpan<char> info)
    {
        info = info.TrimStart(" \t");
        int end = info.IndexOfAny(' ', '\t');
        return end < 0 ? info : info[..end];
    }

    private static ReadOnlySpan<char> TrimListMarker(ReadOnlySpan<char> text)
    {
        if (text.Length >= 2 && (text[0] == '-' || text[0] == '+') && text[1] == ' ')
        {
            return text[2..].TrimStart(" \t");
        }

        int digits = 0;
        while (digits < text.Length && digits < 9 && char.IsAsciiDigit(text[digits]))
        {
            digits++;
        }

        if (digits > 0 && digits + 1 < text.Length && (text[digits] == '.' || text[digits] == ')') && text[digits + 1] == ' ')
        {
            return text[(digits + 2)..].TrimStart(" \t");
        }

        return text;
    }

    private static ReadOnlySpan<char> TrimLabel(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<char> result = TrimLabel(text, "File:");
        if (result.Length == text.Length)
        {
            result = TrimLabel(text, "Filename:");
        }

        if (result.Length == text.Length)
        {
            result = TrimLabel(text, "File name:");
        }

        if (result.Length == text.Length)
        {
            result = TrimLabel(text, "Path:");
        }

        return result;
    }

    private static ReadOnlySpan<char> TrimLabel(ReadOnlySpan<char> text, string label) =>
        text.StartsWith(label, StringComparison.OrdinalIgnoreCase) ? text[label.Length..] : text;
}
