namespace StreamingCodeGeneration;

/// <summary>The lifecycle state of a <see cref="CodeGenerationStream"/>.</summary>
public enum StreamStatus
{
    /// <summary>Nothing has been sent yet: enumeration has not begun.</summary>
    NotStarted,

    /// <summary>A request has been sent and no content has arrived yet.</summary>
    Connecting,

    /// <summary>Content is arriving.</summary>
    Streaming,

    /// <summary>An attempt failed and the generator is waiting before the next one.</summary>
    Retrying,

    /// <summary>The server finished the answer (any finish reason, including <see cref="FinishReason.Length"/>).</summary>
    Completed,

    /// <summary>The generation ended with an exception.</summary>
    Failed,

    /// <summary>The caller cancelled, broke out of the loop, or disposed the enumerator.</summary>
    Cancelled,
}
