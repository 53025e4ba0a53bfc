using System.Diagnostics;

namespace StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

/// <summary>
/// Runs scg inside a pseudo-terminal with util-linux <c>script -qfec</c>: scg's standard streams are a terminal, and
/// everything it draws there (escape codes included) comes out of <c>script</c>'s standard output.
/// </summary>
public static class PseudoTerminal
{
    public static bool IsAvailable => File.Exists("/usr/bin/script");

    /// <param name="shellCommand">What runs in the terminal (through the shell), for example <c>scg x &gt; out.txt</c>; <see cref="Scg"/> quotes the app.</param>
    public static ScgProcess Start(string shellCommand, IReadOnlyDictionary<string, string?> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo("script") { WorkingDirectory = workingDirectory };
        foreach (string argument in new[] { "-qfec", shellCommand, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        var withTerminal = new Dictionary<string, string?>(environment) { ["TERM"] = "xterm-256color", ["COLUMNS"] = null, ["LINES"] = null };
        return ScgProcess.Start(start, withTerminal);
    }

    /// <summary>The shell words that run the built app with <paramref name="arguments"/>.</summary>
    public static string Scg(params string[] arguments) =>
        string.Join(' ', new[] { ScgProcess.Dotnet, ScgProcess.AssemblyPath }.Concat(arguments).Select(Quote));

    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
