using System.CommandLine;
using System.CommandLine.Parsing;

namespace StreamingCodeGeneration.Samples;

/// <summary>
/// A word on a command line that is written like an option (<c>--lenguage</c>, <c>-jsn</c>, <c>--lenguage=go</c>) but is
/// none of the command's options, and the option it was most likely meant to be, as <c>git</c> and <c>dotnet</c> suggest
/// one: <c>Unknown option '--lenguage'. Did you mean '--language'?</c>
/// </summary>
/// <remarks>
/// System.CommandLine takes such a word for a value: <c>scg --lenguage go</c> made <c>--lenguage</c> the prompt and
/// reported only <c>go</c>. A word is an unknown option when it starts with one or two dashes and a letter, is not the
/// value of an option, and comes before <c>--</c> (after it every word is a value, so a prompt may start with a dash).
/// The nearest option is found by edit distance (insertions, deletions, substitutions and swaps of two neighbouring
/// letters), ignoring case and leading dashes, within a third of the word's length; a word of three letters or more that
/// begins an option's name (<c>--lang</c>) also finds it.
/// </remarks>
internal static class UnknownOption
{
    /// <summary>The most options one message suggests (several are equally near).</summary>
    private const int MostSuggestions = 3;

    /// <summary>The farthest (in edits) an option may be from the word and still be suggested.</summary>
    private const int MostEdits = 3;

    /// <summary>Describes the first unknown option on the command line, or returns <see langword="null"/> when there is none.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <returns>One line, such as <c>Unknown option '--lenguage'. Did you mean '--language'?</c>, or <see langword="null"/>.</returns>
    public static string? Describe(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        Command command = parse.CommandResult.Command;
        var optionValues = new HashSet<Token>(ReferenceEqualityComparer.Instance);
        foreach (SymbolResult child in parse.CommandResult.Children)
        {
            if (child is OptionResult option)
            {
                optionValues.UnionWith(option.Tokens);
            }
        }

        foreach (Token token in parse.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                break;
            }

            if (token.Type != TokenType.Argument || optionValues.Contains(token) || OptionName(token.Value) is not { } name)
            {
                continue;
            }

            IReadOnlyList<string> suggestions = Suggest(name, Names(command));
            if (suggestions.Count > 0)
            {
                return $"Unknown option {CommandLineValues.Quote(name)}. Did you mean {string.Join(" or ", suggestions.Select(CommandLineValues.Quote))}?";
            }

            // A prompt may start with a dash, after "--".
            return command.Arguments.Count > 0
                ? $"Unknown option {CommandLineValues.Quote(name)} (a {command.Arguments[0].Name} that starts with '-' goes after '--')."
                : $"Unknown option {CommandLineValues.Quote(name)}.";
        }

        return null;
    }

    /// <summary>The options nearest to <paramref name="word"/> (see <see cref="UnknownOption"/>), the nearest first, at most three.</summary>
    /// <param name="word">What was typed, such as <c>--lenguage</c>.</param>
    /// <param name="names">The command's option names and aliases.</param>
    /// <returns>The suggestions; empty when no option is near enough.</returns>
    public static IReadOnlyList<string> Suggest(string word, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(names);
        string typed = word.TrimStart('-').ToLowerInvariant();
        int allowed = Math.Min(MostEdits, (typed.Length - 1) / 2);
        var near = new List<(string Name, int Edits)>();
        foreach (string name in names.Distinct(StringComparer.Ordinal))
        {
            string candidate = name.TrimStart('-').ToLowerInvariant();
            int edits = Distance(typed, candidate);
            if (edits <= allowed)
            {
                near.Add((name, edits));
            }
            else if (typed.Length >= 3 && candidate.StartsWith(typed, StringComparison.Ordinal))
            {
                // A beginning (--lang for --language): suggested only when no option is a near misspelling.
                near.Add((name, MostEdits + 1));
            }
        }

        if (near.Count == 0)
        {
            return [];
        }

        int best = near.Min(entry => entry.Edits);
        return [.. near.Where(entry => entry.Edits == best).Select(entry => entry.Name).Take(MostSuggestions)];
    }

    /// <summary>
    /// The optimal-string-alignment distance: the fewest insertions, deletions, substitutions and swaps of two
    /// neighbouring characters that turn <paramref name="a"/> into <paramref name="b"/> (<c>tset</c> → <c>test</c> is one).
    /// </summary>
    internal static int Distance(string a, string b)
    {
        // Three rows suffice: the swap looks back two.
        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = a[i - 1] == b[j - 1] ? 0 : 1;
                int edits = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + substitution);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    edits = Math.Min(edits, before[j - 2] + 1);
                }

                current[j] = edits;
            }

            (before, previous, current) = (previous, current, before);
        }

        return previous[b.Length];
    }

    /// <summary>The option name in a word written like an option (<c>--name</c>, <c>-n</c>, <c>--name=value</c>), or <see langword="null"/>.</summary>
    internal static string? OptionName(string word)
    {
        int dashes = word.StartsWith("--", StringComparison.Ordinal) ? 2 : word.StartsWith('-') ? 1 : 0;
        if (dashes == 0 || word.Length == dashes || !char.IsAsciiLetter(word[dashes]))
        {
            return null;
        }

        int end = word.IndexOfAny(['=', ':']);
        string name = end < 0 ? word : word[..end];
        for (int i = dashes; i < name.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(name[i]) && name[i] is not '-' and not '_')
            {
                return null;
            }
        }

        return name;
    }

    /// <summary>The names and aliases of the command's options that start with a dash (not Windows-style <c>/h</c>), help and version included.</summary>
    private static IEnumerable<string> Names(Command command)
    {
        foreach (Option option in command.Options)
        {
            if (option.Hidden)
            {
                continue;
            }

            if (option.Name.StartsWith('-'))
            {
                yield return option.Name;
            }

            foreach (string alias in option.Aliases)
            {
                if (alias.StartsWith('-'))
                {
                    yield return alias;
                }
            }
        }
    }
}
