namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>The library's finish reasons as OpenAI's strings.</summary>
internal static class FinishReasons
{
    public static string ToOpenAI(StreamStats stats) => stats.FinishReason switch
    {
        FinishReason.Length => "length",
        FinishReason.ContentFilter => "content_filter",
        FinishReason.ToolCalls => "tool_calls",
        FinishReason.FunctionCall => "function_call",
        FinishReason.Other => stats.RawFinishReason ?? "stop",
        _ => "stop",
    };
}
