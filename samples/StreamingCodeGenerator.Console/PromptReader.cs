using Spectre.Console;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// Where the prompt comes from: the argument; else standard input when it is redirected (<c>cat task.md | scg</c>);
/// else a question on the terminal that offers the seed's default task.
/// </summary>
internal static class PromptReader
{
    /// <summary>The task offered when the user just presses Enter.</summary>
    public const string DefaultPrompt = "Create a function that sorts a list using bubble sort.";

    /// <exception cref="ConfigurationException">Standard input was redirected but empty.</exception>
    public static async Task<string> ReadAsync(string? argument, bool inputRedirected, TextReader input, Func<IAnsiConsole> terminal, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(argument))
        {
            return argument;
        }

        if (inputRedirected)
        {
            string piped = await input.ReadToEndAsync(cancellationToken);
            return string.IsNullOrWhiteSpace(piped)
                ? throw new ConfigurationException($"No prompt: standard input was empty. Pass the task as an argument ({ScgCommand.Name} \"Write a bubble sort in C#\") or pipe it in (cat task.md | {ScgCommand.Name}).")
                : piped.Trim();
        }

        string asked = await new TextPrompt<string>("[bold]What should I write?[/]")
            .DefaultValue(DefaultPrompt)
            .ShowDefaultValue()
            .ShowAsync(terminal(), cancellationToken);
        return string.IsNullOrWhiteSpace(asked) ? DefaultPrompt : asked.Trim();
    }
}
