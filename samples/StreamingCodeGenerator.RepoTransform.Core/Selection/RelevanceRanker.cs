using System.Text.RegularExpressions;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Orders candidate files by relevance to the prompt: a file the prompt names (by path or file name) first, then
/// files whose path has the prompt's words, then files whose content mentions them most. Ties go to the smaller
/// file (more fit), then to the path.
/// </summary>
internal static partial class RelevanceRanker
{
    private const int NamedPathScore = 10_000;
    private const int NamedFileScore = 5_000;
    private const int PathWordScore = 100;
    private const int MaxContentHitsPerWord = 20;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "with", "that", "this", "from", "into", "all", "any", "each", "every", "should", "would",
        "could", "please", "make", "use", "using", "add", "adds", "change", "changes", "update", "file", "files", "code",
        "new", "not", "are", "was", "were", "can", "when", "then", "than", "also", "only", "its", "our", "your", "you",
        "but", "have", "has", "had", "will", "instead", "there", "them", "they", "what", "which", "who", "how", "why",
        "where", "out", "one", "two", "more", "less", "sure", "does", "don", "let", "get", "set",
    };

    public static List<(RepositoryFile File, int Score)> Rank(IEnumerable<RepositoryFile> candidates, string prompt)
    {
        string lowerPrompt = prompt.ToLowerInvariant();
        HashSet<string> words = Words(prompt);
        var ranked = new List<(RepositoryFile File, int Score)>();
        foreach (RepositoryFile file in candidates)
        {
            ranked.Add((file, Score(file, lowerPrompt, words)));
        }

        ranked.Sort((a, b) =>
        {
            int byScore = b.Score.CompareTo(a.Score);
            if (byScore != 0)
            {
                return byScore;
            }

            int bySize = a.File.Tokens.CompareTo(b.File.Tokens);
            return bySize != 0 ? bySize : string.CompareOrdinal(a.File.Path, b.File.Path);
        });
        return ranked;
    }

    /// <summary>The prompt's words, lower case, three letters or more, with identifiers split at camelCase and '_'.</summary>
    public static HashSet<string> Words(string text)
    {
        var words = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            AddWord(words, match.Value);
            foreach (Match part in IdentifierPart().Matches(match.Value))
            {
                AddWord(words, part.Value);
            }
        }

        return words;
    }

    /// <summary>
    /// The part of the relevance that needs no reading: the prompt names the path (or the file name), and the path
    /// holds the prompt's words. Files are read in this order, so the byte limit spends itself on the likeliest files.
    /// </summary>
    public static int PathScore(string path, string lowerPrompt, HashSet<string> words)
    {
        int score = 0;
        string lowerPath = path.ToLowerInvariant();
        string lowerName = Path.GetFileName(lowerPath);
        if (Mentions(lowerPrompt, lowerPath))
        {
            score += NamedPathScore;
        }
        else if (lowerName.Length >= 3 && lowerName.Contains('.', StringComparison.Ordinal) && Mentions(lowerPrompt, lowerName))
        {
            score += NamedFileScore;
        }

        HashSet<string> pathWords = Words(path);
        foreach (string word in words)
        {
            if (pathWords.Contains(word))
            {
                score += PathWordScore;
            }
        }

        return score;
    }

    private static int Score(RepositoryFile file, string lowerPrompt, HashSet<string> words)
    {
        int score = PathScore(file.Path, lowerPrompt, words);
        string content = file.DisplayText;
        foreach (string word in words)
        {
            score += CountHits(content, word);
        }

        return score;
    }

    /// <summary>Whether the prompt names the path as a whole word (not inside a longer name).</summary>
    private static bool Mentions(string lowerPrompt, string lowerPath)
    {
        int at = 0;
        while ((at = lowerPrompt.IndexOf(lowerPath, at, StringComparison.Ordinal)) >= 0)
        {
            int end = at + lowerPath.Length;
            bool startOk = at == 0 || !IsNameChar(lowerPrompt[at - 1]);
            bool endOk = end == lowerPrompt.Length || !IsNameChar(lowerPrompt[end]) || (lowerPrompt[end] == '.' && (end + 1 == lowerPrompt.Length || !IsNameChar(lowerPrompt[end + 1])));
            if (startOk && endOk)
            {
                return true;
            }

            at++;
        }

        return false;
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '/';

    private static int CountHits(string content, string word)
    {
        int hits = 0;
        int at = 0;
        while (hits < MaxContentHitsPerWord && (at = content.IndexOf(word, at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            hits++;
            at += word.Length;
        }

        return hits;
    }

    private static void AddWord(HashSet<string> words, string word)
    {
        string lower = word.ToLowerInvariant();
        if (lower.Length >= 3 && !StopWords.Contains(lower))
        {
            words.Add(lower);
        }
    }

    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    [GeneratedRegex("[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPart();
}
