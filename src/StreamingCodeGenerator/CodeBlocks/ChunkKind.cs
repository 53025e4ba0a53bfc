namespace StreamingCodeGeneration;

/// <summary>
/// What a streamed piece of the answer is: prose, code, or the fence line that opens or closes a code block.
/// </summary>
/// <remarks>
/// A chunk always has exactly one kind: a received delta that straddles a boundary is split.
/// </remarks>
public enum ChunkKind
{
    /// <summary>
    /// Prose (Markdown text) outside any fenced code block. This is the default value.
    /// </summary>
    Explanation = 0,

    /// <summary>
    /// A line of code inside a fenced code block, including its line ending.
    /// </summary>
    Code = 1,

    /// <summary>
    /// The whole line of an opening or closing code fence (for example <c>```python</c> and <c>```</c>),
    /// including its line ending. Hosts that render code separately usually hide these chunks.
    /// </summary>
    Fence = 2,

    /// <summary>
    /// The model's reasoning ("thinking") before or while it answers, delivered only when
    /// <see cref="StreamingCodeGeneratorOptions.IncludeReasoning"/> is set. Never part of the answer text, the code
    /// blocks or <see cref="CodeGenerationException.PartialText"/>.
    /// </summary>
    Reasoning = 3,
}
