using System.CommandLine;
using StreamingCodeGeneration.ApiClient;
using StreamingCodeGeneration.RepoTransform.Cli;

namespace StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

/// <summary>
/// One of the command-line samples: its name in messages, its built assembly, its System.CommandLine command (so a
/// test can go through every option the program really has) and the arguments it needs to get past its own checks.
/// </summary>
/// <param name="Name">The name it prints before each message, such as <c>scg</c>.</param>
/// <param name="AssemblyPath">The built program, run with <c>dotnet</c>.</param>
/// <param name="CreateCommand">Builds the command the program runs.</param>
/// <param name="RequiredArguments">Arguments that make a command line complete (a prompt, a repository, a test), as option/value pairs or a lone positional value.</param>
public sealed record CliProgram(string Name, string AssemblyPath, Func<RootCommand> CreateCommand, IReadOnlyList<string> RequiredArguments)
{
    public static CliProgram Scg { get; } = new("scg", ScgProcess.AssemblyPath, ScgCommand.CreateRootCommand, ["x"]);

    public static CliProgram Transform { get; } = new(
        "scg-transform",
        RepositoryLayout.BuiltAssembly(Path.Combine("samples", "StreamingCodeGenerator.RepoTransform"), "scg-transform.dll"),
        TransformCommand.CreateRootCommand,
        ["--repo", ".", "--prompt", "x"]);

    public static CliProgram ApiClient { get; } = new(
        "scg-api-client",
        RepositoryLayout.BuiltAssembly(Path.Combine("samples", "StreamingCodeGenerator.ApiClient"), "scg-api-client.dll"),
        () => ApiClientApp.CreateRootCommand(TextReader.Null, TextWriter.Null, TextWriter.Null, handler: null),
        ["--test", "normal"]);

    public static IReadOnlyList<CliProgram> All { get; } = [Scg, Transform, ApiClient];

    /// <summary>The options a user can give (help and version aside), as the command defines them.</summary>
    public IReadOnlyList<Option> UserOptions() =>
        [.. CreateCommand().Options.Where(option => option is not System.CommandLine.Help.HelpOption and not VersionOption)];

    /// <summary>
    /// <see cref="RequiredArguments"/> without <paramref name="option"/> (the test gives that one itself), followed by
    /// <paramref name="tail"/>.
    /// </summary>
    public IReadOnlyList<string> ArgumentsWith(string option, params string[] tail)
    {
        var arguments = new List<string>();
        for (int i = 0; i < RequiredArguments.Count; i++)
        {
            string argument = RequiredArguments[i];
            if (argument.StartsWith('-') && i + 1 < RequiredArguments.Count)
            {
                if (argument != option)
                {
                    arguments.Add(argument);
                    arguments.Add(RequiredArguments[i + 1]);
                }

                i++;
            }
            else
            {
                arguments.Add(argument);
            }
        }

        arguments.AddRange(tail);
        return arguments;
    }

    /// <summary>Runs the program to completion with its standard streams redirected (standard input empty unless given).</summary>
    public async Task<ScgProcess.Result> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, string? input = null)
    {
        using ScgProcess process = ScgProcess.Start(AssemblyPath, arguments, environment, workingDirectory, input ?? string.Empty);
        return await process.WaitAsync();
    }

    public override string ToString() => Name;
}
