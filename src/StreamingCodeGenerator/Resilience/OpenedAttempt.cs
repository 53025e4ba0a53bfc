namespace StreamingCodeGeneration;

/// <summary>An attempt that got past the retryable phase: its reader, and the first content it read (none for an empty answer).</summary>
internal readonly struct OpenedAttempt
{
    public OpenedAttempt(TimedAttempt reader, ChatUpdate? firstContent)
    {
        Reader = reader;
        FirstContent = firstContent;
    }

    public TimedAttempt Reader { get; }

    public ChatUpdate? FirstContent { get; }
}
