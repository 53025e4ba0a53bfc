namespace StreamingCodeGeneration;

/// <summary>One parsed <c>data:</c> event of a chat completion stream. Only the answer text allocates per event.</summary>
internal struct ChatStreamEvent
{
    /// <summary>The event was the <c>[DONE]</c> sentinel.</summary>
    public bool IsDone;

    /// <summary><c>choices[0].delta.content</c>; <see langword="null"/> when absent or null.</summary>
    public string? Content;

    /// <summary><c>choices[0].delta.refusal</c>.</summary>
    public string? Refusal;

    /// <summary>The delta carried reasoning text (<c>reasoning</c> or <c>reasoning_content</c>), which is not answer text.</summary>
    public bool HasReasoning;

    /// <summary><c>choices[0].finish_reason</c> when a non-null string was sent.</summary>
    public string? FinishReason;

    /// <summary>Server-reported usage on this event.</summary>
    public TokenUsage? Usage;

    /// <summary>An <c>{"error": …}</c> payload (or an SSE event named <c>error</c>).</summary>
    public ApiError? Error;

    /// <summary>The response id, parsed only until the stats have one.</summary>
    public string? Id;

    /// <summary>The model name, parsed only until the stats have one.</summary>
    public string? Model;

    /// <summary>A content filter result on this event said <c>"filtered": true</c>.</summary>
    public bool ContentFiltered;
}
