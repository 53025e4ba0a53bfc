namespace StreamingCodeGeneration;

/// <summary>
/// One normalized update from a source, whatever its wire format: answer text, reasoning, and the metadata that may
/// ride along (ids, model, finish reason, usage, filter results). Errors are not updates: a source throws a typed
/// <see cref="CodeGenerationException"/>. Text is well-formed UTF-16.
/// </summary>
internal struct ChatUpdate
{
    /// <summary>Answer text; <see langword="null"/> when the update carries none.</summary>
    public string? Text;

    /// <summary>Reasoning text, never part of the answer.</summary>
    public string? Reasoning;

    /// <summary>Refusal text the model sent instead of an answer.</summary>
    public string? Refusal;

    /// <summary>The finish reason exactly as the server sent it.</summary>
    public string? FinishReason;

    /// <summary>Server-reported usage.</summary>
    public TokenUsage? Usage;

    /// <summary>The server's id for the response.</summary>
    public string? ResponseId;

    /// <summary>The model the server says answered.</summary>
    public string? ModelId;

    /// <summary>A content filter annotated or withheld part of the prompt or answer.</summary>
    public bool ContentFiltered;

    /// <summary>
    /// When the update arrived, as time since the generation started: stamped once, by the attempt's timer (which reads
    /// the clock for every sign of activity anyway), so later stages need not read it again.
    /// </summary>
    public TimeSpan? Arrival;

    /// <summary>Whether the update carries something the caller may receive (answer text, or reasoning when asked for).</summary>
    public readonly bool IsContent(bool includeReasoning) => Text is not null || (includeReasoning && Reasoning is not null);

    /// <summary>Whether the update shows the model at work (text or reasoning): activity for the first-chunk and idle timers.</summary>
    public readonly bool IsActivity => Text is not null || Reasoning is not null;
}
