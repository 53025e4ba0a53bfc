namespace StreamingCodeGeneration;

/// <summary>Which time limit a <see cref="StreamTimeoutException"/> reports.</summary>
public enum StreamTimeoutKind
{
    /// <summary>No content arrived within <see cref="StreamingCodeGeneratorOptions.FirstChunkTimeout"/> of sending a request.</summary>
    FirstChunk,

    /// <summary>No content arrived for <see cref="StreamingCodeGeneratorOptions.IdleTimeout"/> after the previous chunk.</summary>
    Idle,

    /// <summary>The whole generation, retries and waits included, exceeded <see cref="StreamingCodeGeneratorOptions.TotalTimeout"/>.</summary>
    Total,
}
