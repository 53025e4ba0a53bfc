namespace StreamingCodeGeneration;

/// <summary>An attempt that got past the retryable phase: what it asked, its reader, and the first content it read.</summary>
internal readonly struct OpenedAttempt
{
    public OpenedAttempt(ChatAttempt attempt, TimedAttempt reader, ChatUpdate firstContent)
    {
        Attempt = attempt;
        Reader = reader;
        FirstContent = firstContent;
    }

    public ChatAttempt Attempt { get; }

    public TimedAttempt Reader { get; }

    public ChatUpdate FirstContent { get; }
}
