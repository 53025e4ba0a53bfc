namespace StreamingCodeGeneration;

/// <summary>
/// One parsed event of a native provider stream (OpenAI's Responses API, Anthropic's Messages API), normalized to what
/// the engine needs. Only the delta text (and the rare values read once per stream) allocate.
/// </summary>
internal struct ProviderStreamEvent
{
    /// <summary>Answer text (<c>response.output_text.delta</c>, <c>text_delta</c>); <see langword="null"/> when none.</summary>
    public string? Content;

    /// <summary><see cref="Content"/> may hold an unpaired surrogate (see <see cref="SurrogateRepair"/>).</summary>
    public bool ContentIllFormed;

    /// <summary>
    /// Reasoning text (<c>response.reasoning_summary_text.delta</c>, <c>response.reasoning_text.delta</c>,
    /// <c>thinking_delta</c>); a blank line (<c>"\n\n"</c>) when a new summary part or thinking block follows earlier
    /// reasoning. Never part of the answer.
    /// </summary>
    public string? Reasoning;

    /// <summary><see cref="Reasoning"/> may hold an unpaired surrogate.</summary>
    public bool ReasoningIllFormed;

    /// <summary>
    /// Refusal text: <c>response.refusal.delta</c>, or the explanation Anthropic sends with <c>stop_reason: refusal</c>.
    /// Passed through the redactor (it can reach exceptions).
    /// </summary>
    public string? Refusal;

    /// <summary>
    /// The server's finish value, redacted: Anthropic's <c>stop_reason</c>; for Responses <c>completed</c>, or the
    /// <c>incomplete_details.reason</c> of <c>response.incomplete</c> (<c>max_output_tokens</c>, <c>content_filter</c>).
    /// <see cref="ProviderFinishReasons.Map"/> maps it to <see cref="StreamingCodeGeneration.FinishReason"/>.
    /// </summary>
    public string? FinishReason;

    /// <summary>The server's final usage for the response (Responses: on the terminal event; Anthropic: on <c>message_delta</c>).</summary>
    public TokenUsage? Usage;

    /// <summary>An <c>error</c> event, or <c>response.failed</c>: the stream failed after the HTTP 200.</summary>
    public ApiError? Error;

    /// <summary>The response id, read only while the parser's <c>NeedId</c> is set.</summary>
    public string? Id;

    /// <summary>The model, read only while the parser's <c>NeedModel</c> is set.</summary>
    public string? Model;

    /// <summary>
    /// The stream's own end marker arrived (<c>message_stop</c>; <c>response.completed</c> or <c>response.incomplete</c>).
    /// A stream that ends without one was cut.
    /// </summary>
    public bool IsTerminal;

    /// <summary>A keep-alive (<c>ping</c>): the server is there, the model did nothing.</summary>
    public bool IsKeepAlive;

    /// <summary>The event was <c>data: [DONE]</c>, which some Responses-compatible servers (OpenRouter) send after the terminal event.</summary>
    public bool IsDone;

    /// <summary>Whether the event carries nothing the engine acts on (skipped event types: tool calls, item bookkeeping, citations…).</summary>
    public readonly bool IsEmpty =>
        Content is null && Reasoning is null && Refusal is null && FinishReason is null && Usage is null && Error is null
        && Id is null && Model is null && !IsTerminal && !IsKeepAlive && !IsDone;
}
