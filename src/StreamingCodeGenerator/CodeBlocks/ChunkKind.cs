namespace StreamingCodeGeneration;

/// <summary>What a <see cref="Chunk"/> holds.</summary>
public enum ChunkKind
{
    /// <summary>Prose around the code.</summary>
    Explanation,

    /// <summary>The content of a fenced code block.</summary>
    Code,

    /// <summary>A fence line that opens or closes a code block; hosts that render code usually hide it.</summary>
    Fence,
}
