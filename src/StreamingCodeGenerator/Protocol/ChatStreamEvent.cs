namespace StreamingCodeGeneration;

/// <summary>One parsed <c>data:</c> event of a chat completion stream. Only the answer text allocates per event.</summary>
internal struct ChatStreamEvent
{
    /// <summary>The event was the <c>[DONE]</c> sentinel.</summary>
    public bool IsDone;

    /// <summary>
    /// <c>choices[0].delta.content</c> (a string, or the <c>text</c> parts of a content-part array);
    /// <see langword="null"/> when absent, null or empty.
    /// </summary>
    public string? Content;

    /// <summary><see cref="Content"/> may hold an unpaired surrogate (see <see cref="SurrogateRepair"/>).</summary>
    public bool ContentIllFormed;

    /// <summary>
    /// Reasoning text: <c>reasoning_content</c> or <c>reasoning</c> (DeepSeek, Qwen, vLLM, Ollama, gateways), or the
    /// <c>thinking</c> parts of a content-part array (Mistral). Never part of the answer.
    /// </summary>
    public string? Reasoning;

    /// <summary><see cref="Reasoning"/> may hold an unpaired surrogate.</summary>
    public bool ReasoningIllFormed;

    /// <summary><c>choices[0].delta.refusal</c>.</summary>
    public string? Refusal;

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
