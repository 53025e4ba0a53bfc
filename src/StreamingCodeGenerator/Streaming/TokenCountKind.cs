namespace StreamingCodeGeneration;

/// <summary>What <see cref="StreamStats.TokenCount"/> is: an exact local count, a local estimate, or the server's own count.</summary>
public enum TokenCountKind
{
    /// <summary>
    /// Counted locally with the model's own encoding: an OpenAI model this library knows, or the encoding set in
    /// <see cref="StreamingCodeGeneratorOptions.TokenizerEncoding"/>.
    /// </summary>
    Exact,

    /// <summary>
    /// Counted locally with OpenAI's o200k_base for a model whose tokenizer this library does not have (Claude, a local
    /// model, a name it does not know): close, but not the number the server counts or bills. It is replaced by the
    /// server's count (<see cref="ServerReported"/>) when the answer completes in one attempt with usage.
    /// </summary>
    Estimate,

    /// <summary>
    /// The server's count of the answer's tokens (its usage's output tokens, less the reasoning tokens), which replaced a
    /// local <see cref="Estimate"/> when the answer completed.
    /// </summary>
    ServerReported,
}
