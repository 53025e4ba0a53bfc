namespace StreamingCodeGeneration;

/// <summary>Maps the finish values of OpenAI's Responses API and Anthropic's Messages API to <see cref="FinishReason"/>.</summary>
internal static class ProviderFinishReasons
{
    /// <summary>
    /// Anthropic: <c>end_turn</c> and <c>stop_sequence</c> are a natural stop; <c>max_tokens</c> and
    /// <c>model_context_window_exceeded</c> a cut answer; <c>refusal</c> (the safety classifiers stopped the answer) is a
    /// content filter; <c>tool_use</c> a tool call; <c>pause_turn</c> and anything new are <see cref="FinishReason.Other"/>.
    /// Responses: <c>completed</c> is a natural stop; <c>max_output_tokens</c> a cut answer; <c>content_filter</c> a
    /// content filter. Chat Completions' own values (<c>stop</c>, <c>length</c>…) map as usual.
    /// </summary>
    public static FinishReason Map(string raw) => raw switch
    {
        "completed" or "end_turn" or "stop_sequence" or "stop" => FinishReason.Stop,
        "max_output_tokens" or "max_tokens" or "model_context_window_exceeded" or "length" => FinishReason.Length,
        "content_filter" or "refusal" => FinishReason.ContentFilter,
        "tool_use" or "tool_calls" => FinishReason.ToolCalls,
        _ => FinishReason.Other,
    };
}
