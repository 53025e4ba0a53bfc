using Spectre.Console;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// Where the prompt comes from: the argument; else standard input when it is redirected (<c>cat task.md | scg</c>);
/// else a question on the terminal that offers the earlier Python service's default task.
/// </summary>
internal static class PromptReader
{
    /// <summary>The task offered when the user just presses Enter.</summary>
    public const string DefaultPrompt = "Create a function that sorts a list using bubble sort.";

    /// <exception cref="ConfigurationException">Standard input was redirected but empty, or ended at the question.</exception>
    /// <exception cref="OperationCanceledException">Ctrl+C while asking.</exception>
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

        // Spectre's TextPrompt<T> converts answers with TypeDescriptor, which trimming cannot keep; a line is all we need.
        IAnsiConsole console = terminal();
        console.Markup($"[bold]What should I write?[/] [dim]({Markup.Escape(DefaultPrompt)})[/]: ");
        // Reading the terminal cannot be cancelled, so wait for it on the side: Ctrl+C ends the wait (exit 130) at once.
        string? asked = await Task.Run(input.ReadLine, CancellationToken.None).WaitAsync(cancellationToken);
        return asked is null
            ? throw new ConfigurationException("No prompt: the input ended before a task was typed.")
            : string.IsNullOrWhiteSpace(asked) ? DefaultPrompt : asked.Trim();
    }
}
