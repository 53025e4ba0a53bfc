using System.Diagnostics;

namespace StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

/// <summary>
/// Runs scg (or another program) inside a pseudo-terminal with util-linux <c>script -qfec</c>: scg's standard streams are a terminal, and
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
    public static string Scg(params string[] arguments) => Command(ScgProcess.AssemblyPath, arguments);

    /// <summary>The shell words that run a built program (its <c>.dll</c>) with <paramref name="arguments"/>.</summary>
    public static string Command(string assemblyPath, params string[] arguments) =>
        string.Join(' ', new[] { ScgProcess.Dotnet, assemblyPath }.Concat(arguments).Select(Quote));

    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>The screen's text without the escape sequences scg writes (SGR, cursor, erase, IND/RI/DECSC/DECRC) or the status rows.</summary>
    public static string StripScgCodes(string screen)
    {
        // Each status draw is: row-opening codes, the status text, DECRC; remove it whole, then the remaining codes.
        string withoutStatus = System.Text.RegularExpressions.Regex.Replace(screen, "\u001bD\u001bM\u001b7\u001bD\r\u001b\\[2K.*?\u001b8", string.Empty);
        return System.Text.RegularExpressions.Regex.Replace(withoutStatus, "\u001b(\\[[0-9;?]*[A-Za-z]|[78DM=>])", string.Empty);
    }
}
