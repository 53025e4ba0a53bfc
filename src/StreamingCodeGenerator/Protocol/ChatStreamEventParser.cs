using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>
/// Parses one SSE event's data into a <see cref="ChatStreamEvent"/> with <see cref="Utf8JsonReader"/>. Tolerates the
/// shapes real servers send: role-only and usage-only chunks, empty or null <c>choices</c>, Azure filter results,
/// omitted <c>finish_reason</c>, <c>timings</c>, <c>reasoning</c> deltas, and ids that repeat or are missing.
/// </summary>
internal sealed class ChatStreamEventParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    /// <summary>Set once the stats know the response id, so later events skip allocating it.</summary>
    public bool NeedId { get; set; } = true;

    /// <summary>Set once the stats know the model, so later events skip allocating it.</summary>
    public bool NeedModel { get; set; } = true;

    /// <summary>The SSE item parser: called by <see cref="System.Net.ServerSentEvents.SseParser"/> for every event.</summary>
    /// <exception cref="SseProtocolException">The data is not a chat completion chunk.</exception>
    public ChatStreamEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        ChatStreamEvent result = default;
        ReadOnlySpan<byte> trimmed = data.Trim(" \t\r\n"u8);
        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            result.IsDone = true;
            return result;
        }

        if (string.Equals(eventType, "error", StringComparison.Ordinal))
        {
            // An SSE event named "error": its data is an error body, whatever its shape.
            result.Error = ApiError.TryParseJson(trimmed) ?? new ApiError(ApiError.PlainExcerpt(trimmed), null, null, null);
            return result;
        }

        try
        {
            var reader = new Utf8JsonReader(trimmed, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new SseProtocolException("An event's data is not a JSON object.", data);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        ReadChoices(ref reader, ref result);
                    }
                    else
                    {
                        reader.TrySkip();
                    }
                }
                else if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (NeedId && reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty)
                    {
                        result.Id = reader.GetString();
                    }
                }
                else if (reader.ValueTextEquals("model"u8))
                {
                    reader.Read();
                    if (NeedModel && reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty)
                    {
                        result.Model = reader.GetString();
                    }
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        result.Usage = ReadUsage(ref reader);
                    }
                    else
                    {
                        reader.TrySkip();
                    }
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    result.Error = ReadError(ref reader);
                }
                else if (reader.ValueTextEquals("prompt_filter_results"u8))
                {
                    reader.Read();
                    result.ContentFiltered |= ContainsFilteredTrue(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.TrySkip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new SseProtocolException("An event's data has content after its JSON object.", data);
            }
        }
        catch (JsonException ex)
        {
            throw new SseProtocolException("An event's data is not valid JSON: " + ex.Message, data, ex);
        }

        return result;
    }

    private static void ReadChoices(ref Utf8JsonReader reader, ref ChatStreamEvent result)
    {
        // Only choice 0 is the answer (n = 1); others are skipped.
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.TrySkip();
                continue;
            }

            int index = 0;
            string? content = null, refusal = null, finish = null;
            bool reasoning = false, filtered = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("delta"u8) || reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadDelta(ref reader, ref content, ref refusal, ref reasoning);
                    }
                    else
                    {
                        reader.TrySkip();
                    }
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        finish = reader.GetString();
                    }
                }
                else if (reader.ValueTextEquals("index"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out index))
                    {
                        index = 0;
                    }
                }
                else if (reader.ValueTextEquals("content_filter_results"u8))
                {
                    reader.Read();
                    filtered |= ContainsFilteredTrue(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.TrySkip();
                }
            }

            if (index == 0)
            {
                result.Content = content;
                result.Refusal = refusal;
                result.HasReasoning = reasoning;
                result.FinishReason = finish;
                result.ContentFiltered |= filtered;
            }
        }
    }

    private static void ReadDelta(ref Utf8JsonReader reader, ref string? content, ref string? refusal, ref bool reasoning)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("content"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    content = reader.ValueSpan.IsEmpty ? null : reader.GetString();
                }
                else
                {
                    reader.TrySkip();
                }
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty)
                {
                    refusal = reader.GetString();
                }
                else
                {
                    reader.TrySkip();
                }
            }
            else if (reader.ValueTextEquals("reasoning"u8) || reader.ValueTextEquals("reasoning_content"u8))
            {
                reader.Read();
                reasoning |= reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty;
                reader.TrySkip();
            }
            else
            {
                reader.Read();
                reader.TrySkip();
            }
        }
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        int prompt = 0, completion = 0, total = -1;
        int? cached = null, reasoningTokens = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("prompt_tokens"u8))
            {
                prompt = ReadInt(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("completion_tokens"u8))
            {
                completion = ReadInt(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                total = ReadInt(ref reader) ?? -1;
            }
            else if (reader.ValueTextEquals("prompt_tokens_details"u8))
            {
                cached = ReadNestedInt(ref reader, "cached_tokens"u8) ?? cached;
            }
            else if (reader.ValueTextEquals("completion_tokens_details"u8))
            {
                reasoningTokens = ReadNestedInt(ref reader, "reasoning_tokens"u8) ?? reasoningTokens;
            }
            else
            {
                reader.Read();
                reader.TrySkip();
            }
        }

        return new TokenUsage(prompt, completion, total >= 0 ? total : prompt + completion)
        {
            CachedPromptTokens = cached,
            ReasoningTokens = reasoningTokens,
        };
    }

    private static int? ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value))
        {
            return value;
        }

        reader.TrySkip();
        return null;
    }

    private static int? ReadNestedInt(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.TrySkip();
            return null;
        }

        int? found = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                found = ReadInt(ref reader);
            }
            else
            {
                reader.Read();
                reader.TrySkip();
            }
        }

        return found;
    }

    private static ApiError ReadError(ref Utf8JsonReader reader)
    {
        string? message = null, type = null, code = null, param = null;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            ApiError.ReadErrorObject(ref reader, ref message, ref type, ref code, ref param);
        }
        else
        {
            message = ApiError.ReadScalar(ref reader);
        }

        return new ApiError(message, type, code, param);
    }

    /// <summary>Walks a filter-results subtree and reports whether any category says <c>"filtered": true</c>.</summary>
    private static bool ContainsFilteredTrue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            return false;
        }

        int depth = reader.CurrentDepth;
        bool filtered = false;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("filtered"u8))
            {
                reader.Read();
                filtered |= reader.TokenType == JsonTokenType.True;
            }
        }

        return filtered;
    }
}
