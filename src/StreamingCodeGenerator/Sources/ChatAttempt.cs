namespace StreamingCodeGeneration;

/// <summary>What one attempt sends: the generation's request, and for a continuation the answer so far.</summary>
internal sealed class ChatAttempt
{
    public ChatAttempt(GenerationContext generation, string? continuationText)
    {
        Generation = generation;
        ContinuationText = continuationText;
    }

    /// <summary>The generation this attempt belongs to: its request, its sink and its per-generation settings.</summary>
    public GenerationContext Generation { get; }

    /// <summary>The request to send.</summary>
    public PreparedRequest Request => Generation.Request;

    /// <summary>
    /// For a continuation, the answer received so far: sent back as an assistant turn with an instruction to carry on
    /// where it stopped. <see langword="null"/> for a first attempt or a retry.
    /// </summary>
    public string? ContinuationText { get; }

    /// <summary>Whether this attempt continues an answer that was cut.</summary>
    public bool IsContinuation => ContinuationText is not null;
}
