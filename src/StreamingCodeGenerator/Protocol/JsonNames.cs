using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>The property names the chat stream parser looks for.</summary>
internal enum JsonName : byte
{
    Other,
    Choices,
    Id,
    Model,
    Usage,
    XGroq,
    Error,
    PromptFilterResults,
    Delta,
    Message,
    FinishReason,
    Index,
    ContentFilterResults,
    Content,
    Refusal,
    Reasoning,
    ReasoningContent,
    Type,
    Text,
    Thinking,
    PromptTokens,
    CompletionTokens,
    TotalTokens,
    PromptTokensDetails,
    CompletionTokensDetails,
}

/// <summary>
/// Identifies the current property name with one length switch and at most a couple of comparisons, instead of
/// comparing it with every name in turn: most of each event is properties the parser skips (<c>object</c>,
/// <c>created</c>, <c>system_fingerprint</c>…), and this runs for every one of them.
/// </summary>
internal static class JsonNames
{
    public static JsonName Identify(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            return IdentifySlowly(ref reader);
        }

        ReadOnlySpan<byte> name = reader.ValueSpan;
        return name.Length switch
        {
            2 => name.SequenceEqual("id"u8) ? JsonName.Id : JsonName.Other,
            4 => name.SequenceEqual("type"u8) ? JsonName.Type : name.SequenceEqual("text"u8) ? JsonName.Text : JsonName.Other,
            5 => name.SequenceEqual("model"u8) ? JsonName.Model
                : name.SequenceEqual("usage"u8) ? JsonName.Usage
                : name.SequenceEqual("error"u8) ? JsonName.Error
                : name.SequenceEqual("delta"u8) ? JsonName.Delta
                : name.SequenceEqual("index"u8) ? JsonName.Index : JsonName.Other,
            6 => name.SequenceEqual("x_groq"u8) ? JsonName.XGroq : JsonName.Other,
            7 => name.SequenceEqual("choices"u8) ? JsonName.Choices
                : name.SequenceEqual("message"u8) ? JsonName.Message
                : name.SequenceEqual("content"u8) ? JsonName.Content
                : name.SequenceEqual("refusal"u8) ? JsonName.Refusal : JsonName.Other,
            8 => name.SequenceEqual("thinking"u8) ? JsonName.Thinking : JsonName.Other,
            9 => name.SequenceEqual("reasoning"u8) ? JsonName.Reasoning : JsonName.Other,
            12 => name.SequenceEqual("total_tokens"u8) ? JsonName.TotalTokens : JsonName.Other,
            13 => name.SequenceEqual("finish_reason"u8) ? JsonName.FinishReason
                : name.SequenceEqual("prompt_tokens"u8) ? JsonName.PromptTokens : JsonName.Other,
            17 => name.SequenceEqual("reasoning_content"u8) ? JsonName.ReasoningContent
                : name.SequenceEqual("completion_tokens"u8) ? JsonName.CompletionTokens : JsonName.Other,
            21 => name.SequenceEqual("prompt_filter_results"u8) ? JsonName.PromptFilterResults
                : name.SequenceEqual("prompt_tokens_details"u8) ? JsonName.PromptTokensDetails : JsonName.Other,
            22 => name.SequenceEqual("content_filter_results"u8) ? JsonName.ContentFilterResults : JsonName.Other,
            25 => name.SequenceEqual("completion_tokens_details"u8) ? JsonName.CompletionTokensDetails : JsonName.Other,
            _ => JsonName.Other,
        };
    }

    /// <summary>A name written with escapes (legal, never seen in practice): compared the slow, exact way.</summary>
    private static JsonName IdentifySlowly(ref Utf8JsonReader reader)
    {
        ReadOnlySpan<(JsonName Name, string Text)> all =
        [
            (JsonName.Choices, "choices"), (JsonName.Id, "id"), (JsonName.Model, "model"), (JsonName.Usage, "usage"),
            (JsonName.XGroq, "x_groq"), (JsonName.Error, "error"), (JsonName.PromptFilterResults, "prompt_filter_results"),
            (JsonName.Delta, "delta"), (JsonName.Message, "message"), (JsonName.FinishReason, "finish_reason"),
            (JsonName.Index, "index"), (JsonName.ContentFilterResults, "content_filter_results"), (JsonName.Content, "content"),
            (JsonName.Refusal, "refusal"), (JsonName.Reasoning, "reasoning"), (JsonName.ReasoningContent, "reasoning_content"),
            (JsonName.Type, "type"), (JsonName.Text, "text"), (JsonName.Thinking, "thinking"),
            (JsonName.PromptTokens, "prompt_tokens"), (JsonName.CompletionTokens, "completion_tokens"),
            (JsonName.TotalTokens, "total_tokens"), (JsonName.PromptTokensDetails, "prompt_tokens_details"),
            (JsonName.CompletionTokensDetails, "completion_tokens_details"),
        ];
        foreach ((JsonName name, string text) in all)
        {
            if (reader.ValueTextEquals(text))
            {
                return name;
            }
        }

        return JsonName.Other;
    }
}
