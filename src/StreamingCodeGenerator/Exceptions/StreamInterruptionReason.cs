namespace StreamingCodeGeneration;

/// <summary>What interrupted a stream (see <see cref="StreamInterruptedException"/>).</summary>
public enum StreamInterruptionReason
{
    /// <summary>The connection could not be made or was lost.</summary>
    ConnectionLost,

    /// <summary>The body ended without a finish reason.</summary>
    EndedWithoutFinishReason,

    /// <summary>The server sent an error event in the stream.</summary>
    ServerError,
}
