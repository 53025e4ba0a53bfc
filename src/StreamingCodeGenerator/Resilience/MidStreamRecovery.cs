namespace StreamingCodeGeneration;

/// <summary>What to do when a stream breaks after the caller already received text.</summary>
public enum MidStreamRecovery
{
    /// <summary>
    /// Do not retry: throw <see cref="StreamInterruptedException"/> whose <see cref="CodeGenerationException.PartialText"/>
    /// is exactly what was delivered. The default.
    /// </summary>
    None,

    /// <summary>
    /// Ask again with the conversation plus the partial answer and an instruction to continue exactly where it stopped;
    /// text the model repeats is dropped, and the caller sees one seamless answer in the same stream.
    /// </summary>
    Continue,
}
