using Spectre.Console;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>What the standard streams are (terminal or redirected) and whether colour is wanted.</summary>
internal sealed record TerminalFacts(bool OutputIsTerminal, bool ErrorIsTerminal, bool Colour)
{
    public static TerminalFacts Detect(bool noColorOption)
    {
        // TERM=dumb (Emacs shells, some CI logs) cannot move the cursor: treat it like a redirected stream.
        bool dumb = string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        bool colour = !noColorOption && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        return new TerminalFacts(!dumb && !System.Console.IsOutputRedirected, !dumb && !System.Console.IsErrorRedirected, colour);
    }

    /// <summary>The terminal's width in cells (80 when it cannot be read).</summary>
    public int Width()
    {
        try
        {
            int width = System.Console.WindowWidth;
            return width > 0 ? width : 80;
        }
        catch (Exception ex) when (ex is IOException or PlatformNotSupportedException or InvalidOperationException)
        {
            return 80;
        }
    }

    /// <summary>A Spectre console on standard error, for the prompt question and the coloured summary.</summary>
    public IAnsiConsole CreateMessagesConsole() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(System.Console.Error),
        Ansi = Colour && ErrorIsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = Colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.Yes,
    });
}
