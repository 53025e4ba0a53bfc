namespace StreamingCodeGeneration;

/// <summary>Why the model stopped producing text.</summary>
/// <remarks>
/// Servers send other values too (<c>error</c>, <c>insufficient_system_resource</c>, an empty string); those map to
/// <see cref="Other"/> and the raw value stays available in <see cref="StreamStats.RawFinishReason"/>.
/// </remarks>
public enum FinishReason
{
    /// <summary>The model finished naturally or hit a stop sequence (<c>stop</c>).</summary>
    Stop,

    /// <summary>The output token limit was reached (<c>length</c>): the answer is truncated.</summary>
    Length,

    /// <summary>Content was withheld by a content filter (<c>content_filter</c>): the answer is truncated.</summary>
    ContentFilter,

    /// <summary>The model asked to call a tool (<c>tool_calls</c>).</summary>
    ToolCalls,

    /// <summary>The model asked to call a function (legacy <c>function_call</c>).</summary>
    FunctionCall,

    /// <summary>A value this library does not know; see <see cref="StreamStats.RawFinishReason"/>.</summary>
    Other,
}
