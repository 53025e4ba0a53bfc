namespace StreamingCodeGeneration.Testing;

/// <summary>How a recorded response ended.</summary>
public enum TranscriptEnding
{
    /// <summary>The body ended normally.</summary>
    Complete,

    /// <summary>The connection broke before the body was complete; a replay aborts the connection at the same point.</summary>
    Cut,
}
