using Spectre.Console;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>Where the status line is drawn.</summary>
internal enum StatusPlacement
{
    /// <summary>Nowhere: no terminal to draw on (or <c>--quiet</c>).</summary>
    None,

    /// <summary>Under the streamed text, on standard output (a terminal).</summary>
    WithAnswer,

    /// <summary>On standard error, when it is a terminal and standard output is redirected.</summary>
    OnMessages,
}

/// <summary>How <see cref="TextOutput"/> shows a run; chosen from the command line and what the streams are.</summary>
internal sealed class TextOutputSettings
{
    /// <summary>Gets the colours for the answer; <see langword="null"/> writes it plain.</summary>
    public AnswerStyle? Style { get; init; }

    public StatusPlacement Status { get; init; }

    /// <summary>Gets whether standard output is a terminal (the answer's last line is then ended before the summary).</summary>
    public bool AnswerIsTerminal { get; init; }

    /// <summary>Gets whether standard output reaches a person (not redirected): the answer's control characters are then shown visibly.</summary>
    public bool AnswerShowsControls { get; init; }

    /// <summary>Gets whether standard error reaches a person: control characters in the summary and messages (from the model or the server) are then shown visibly.</summary>
    public bool MessagesShowControls { get; init; }

    /// <summary>Gets whether the status line may use colour.</summary>
    public bool Colour { get; init; }

    /// <summary>Gets the terminal's width in cells.</summary>
    public Func<int> Width { get; init; } = () => 80;

    /// <summary>Gets whether only code (no prose, no fences) is written: <c>--quiet</c>.</summary>
    public bool CodeOnly { get; init; }

    /// <summary>Gets whether the summary is written at the end.</summary>
    public bool Summary { get; init; } = true;

    /// <summary>Gets the console on standard error for coloured messages; <see langword="null"/> writes them plain.</summary>
    public IAnsiConsole? MessagesConsole { get; init; }

    /// <summary>Gets the <c>--save</c> folder as given, for the summary.</summary>
    public string? SaveFolder { get; init; }
}
