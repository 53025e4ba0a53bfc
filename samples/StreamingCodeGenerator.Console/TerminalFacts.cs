using Spectre.Console;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>What the standard streams are (terminal or redirected) and whether colour is wanted.</summary>
/// <param name="OutputIsTerminal">Standard output is a terminal that can draw a status line (not redirected, and <c>TERM</c> is not <c>dumb</c>).</param>
/// <param name="ErrorIsTerminal">The same for standard error.</param>
/// <param name="Colour">Colours are wanted (no <c>--no-color</c>, no <c>NO_COLOR</c>).</param>
/// <param name="OutputReachesTerminal">Standard output is not redirected, so a person reads it: model text shows its control characters visibly (a dumb terminal too).</param>
/// <param name="ErrorReachesTerminal">The same for standard error.</param>
internal sealed record TerminalFacts(bool OutputIsTerminal, bool ErrorIsTerminal, bool Colour, bool OutputReachesTerminal, bool ErrorReachesTerminal)
{
    public static TerminalFacts Detect(bool noColorOption)
    {
        // TERM=dumb (Emacs shells, some CI logs) cannot move the cursor: treat it like a redirected stream for drawing.
        bool dumb = string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        bool colour = !noColorOption && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        bool output = !System.Console.IsOutputRedirected;
        bool error = !System.Console.IsErrorRedirected;
        return new TerminalFacts(!dumb && output, !dumb && error, colour, output, error);
    }

    /// <summary>Returns a message from a server or a model as standard error should show it: control characters visible on a terminal, exact when redirected.</summary>
    public string ForMessages(string text) => ErrorReachesTerminal ? TerminalText.MakeVisible(text) : text;

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
