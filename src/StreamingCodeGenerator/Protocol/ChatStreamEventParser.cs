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

    private readonly SecretRedactor _redactor;

    public ChatStreamEventParser(SecretRedactor redactor)
    {
        _redactor = redactor;
    }

    /// <summary>Set once the stats know the response id, so later events skip allocating it.</summary>
    public bool NeedId { get; set; } = true;

    /// <summary>Set once the stats know the model, so later events skip allocating it.</summary>
    public bool NeedModel { get; set; } = true;

    /// <summary>The SSE item parser: called by <see cref="System.Net.ServerSentEvents.SseParser"/> for every event.</summary>
    /// <exception cref="SseProtocolException">The data is not a chat completion chunk.</exception>
    public ChatStreamEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        ChatStreamEvent result = default;
        TokenUsage? groqUsage = null;
        bool sawError = false;
        ReadOnlySpan<byte> trimmed = data.Trim(" \t\r\n"u8);
        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            result.IsDone = true;
            return result;
        }

        if (string.Equals(eventType, "error", StringComparison.Ordinal))
        {
            // An SSE event named "error": its data is an error body, whatever its shape.
            result.Error = (ApiError.TryParseJson(trimmed) ?? new ApiError(ApiError.PlainExcerpt(trimmed), null, null, null)).Redacted(_redactor);
            return result;
        }

        try
        {
            var reader = new Utf8JsonReader(trimmed, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new SseProtocolException("An event's data is not a JSON object.", data, _redactor);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {

                JsonName name = JsonNames.Identify(ref reader);
                if (name == JsonName.Choices)
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        ReadChoices(ref reader, ref result, _redactor);
                    }
                    else
                    {
                        reader.TrySkip();
                    }
                }
                else if (name == JsonName.Id)
                {
                    reader.Read();
                    if (NeedId && reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty)
                    {
                        result.Id = _redactor.Redact(JsonStrings.Read(ref reader));
                    }

                    reader.TrySkip();
                }
                else if (name == JsonName.Model)
                {
                    reader.Read();
                    if (NeedModel && reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty)
                    {
                        result.Model = _redactor.Redact(JsonStrings.Read(ref reader));
                    }

                    reader.TrySkip();
                }
                else if (name == JsonName.Usage)
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
                else if (name == JsonName.XGroq)
                {
                    // Groq reports usage under x_groq.usage instead of usage.
                    reader.Read();
                    groqUsage = ReadNestedUsage(ref reader);
                }
                else if (name == JsonName.Error)
                {
                    // Read as a whole below: an error's code or type may sit beside it ({"error": "…", "code": 400}).
                    reader.Read();
                    reader.TrySkip();
                    sawError = true;
                }
                else if (name == JsonName.PromptFilterResults)
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
                throw new SseProtocolException("An event's data has content after its JSON object.", data, _redactor);
            }
        }
        catch (InvalidOperationException ex)
        {
            // A value of an unexpected token type; never let it escape untyped.
            throw new SseProtocolException("An event's data has an unexpected shape: " + ex.Message, data, _redactor, ex);
        }
        catch (JsonException ex)
        {
            // The reader's message can quote the offending token, which may be an echoed key: redact it too.
            var redacted = new JsonException(_redactor.Redact(ex.Message), null, ex.LineNumber, ex.BytePositionInLine);
            throw new SseProtocolException("An event's data is not valid JSON: " + redacted.Message, data, _redactor, redacted);
        }

        result.Usage ??= groqUsage;
        if (sawError)
        {
            result.Error = (ApiError.TryParseJson(trimmed) ?? new ApiError(null, null, null, null)).Redacted(_redactor);
        }

        return result;
    }

    private static void ReadChoices(ref Utf8JsonReader reader, ref ChatStreamEvent result, SecretRedactor redactor)
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
            string? finish = null;
            var delta = new DeltaText();
            bool filtered = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                JsonName name = JsonNames.Identify(ref reader);
                if (name == JsonName.Delta || name == JsonName.Message)
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadDelta(ref reader, ref delta);
                    }
                    else
                    {
                        reader.TrySkip();
                    }
                }
                else if (name == JsonName.FinishReason)
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        finish = redactor.Redact(JsonStrings.Read(ref reader));
                    }

                    reader.TrySkip();
                }
                else if (name == JsonName.Index)
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out index))
                    {
                        index = 0;
                    }

                    reader.TrySkip();
                }
                else if (name == JsonName.ContentFilterResults)
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
                result.Content = delta.Content;
                result.ContentIllFormed = delta.ContentIllFormed;
                result.Reasoning = delta.Reasoning;
                result.ReasoningIllFormed = delta.ReasoningIllFormed;
                result.Refusal = redactor.Redact(delta.Refusal);
                result.FinishReason = finish;
                result.ContentFiltered |= filtered;
            }
        }
    }

    /// <summary>The texts of one delta (or message), gathered from its string fields or content-part arrays.</summary>
    private struct DeltaText
    {
        public string? Content;
        public bool ContentIllFormed;
        public string? Reasoning;
        public bool ReasoningIllFormed;
        public string? Refusal;

        public void AddContent(string text, bool wellFormed) => Add(ref Content, ref ContentIllFormed, text, wellFormed);

        public void AddReasoning(string text, bool wellFormed) => Add(ref Reasoning, ref ReasoningIllFormed, text, wellFormed);

        private static void Add(ref string? target, ref bool illFormed, string text, bool wellFormed)
        {
            if (text.Length == 0)
            {
                return;
            }

            target = target is null ? text : string.Concat(target, text);
            illFormed |= !wellFormed;
        }
    }

    private static void ReadDelta(ref Utf8JsonReader reader, ref DeltaText delta)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            JsonName name = JsonNames.Identify(ref reader);
            if (name == JsonName.Content)
            {
                ReadText(ref reader, ref delta, asReasoning: false);
            }
            else if (name == JsonName.Refusal)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !reader.ValueSpan.IsEmpty)
                {
                    delta.Refusal = JsonStrings.Read(ref reader);
                }
                else
                {
                    reader.TrySkip();
                }
            }
            else if (name == JsonName.ReasoningContent || name == JsonName.Reasoning)
            {
                ReadText(ref reader, ref delta, asReasoning: true);
            }
            else
            {
                reader.Read();
                reader.TrySkip();
            }
        }
    }

    /// <summary>A <c>content</c> or <c>reasoning</c> value: a string, or an array of content parts.</summary>
    private static void ReadText(ref Utf8JsonReader reader, ref DeltaText delta, bool asReasoning)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            if (!reader.ValueSpan.IsEmpty)
            {
                string text = JsonStrings.Read(ref reader, out bool wellFormed);
                if (asReasoning)
                {
                    delta.AddReasoning(text, wellFormed);
                }
                else
                {
                    delta.AddContent(text, wellFormed);
                }
            }
        }
        else if (reader.TokenType == JsonTokenType.StartArray)
        {
            ReadContentParts(ref reader, ref delta, asReasoning);
        }
        else
        {
            reader.TrySkip();
        }
    }

    /// <summary>
    /// Reads a content-part array: <c>[{"type":"text","text":"…"}, {"type":"thinking","thinking":[…]}]</c>.
    /// <c>text</c> parts are answer text (reasoning when <paramref name="asReasoning"/>), <c>thinking</c> and
    /// <c>reasoning</c> parts are reasoning; other part types (images, audio, references) carry no text.
    /// </summary>
    private static void ReadContentParts(ref Utf8JsonReader reader, ref DeltaText delta, bool asReasoning)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                // A bare string in the array is text.
                string bare = JsonStrings.Read(ref reader, out bool bareWellFormed);
                AddPart(ref delta, bare, bareWellFormed, asReasoning);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.TrySkip();
                continue;
            }

            bool isText = true, isThinking = false;
            string? text = null;
            bool wellFormed = true;
            var nested = new DeltaText();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                JsonName name = JsonNames.Identify(ref reader);
                if (name == JsonName.Type)
                {
                    reader.Read();
                    bool isString = reader.TokenType == JsonTokenType.String;
                    isText = isString && (reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("output_text"u8));
                    isThinking = isString && (reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("reasoning"u8));
                    reader.TrySkip();
                }
                else if (name == JsonName.Text)
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        text = JsonStrings.Read(ref reader, out wellFormed);
                    }
                    else
                    {
                        reader.TrySkip();
                    }
                }
                else if (name == JsonName.Thinking || name == JsonName.Reasoning)
                {
                    // Mistral: "thinking" holds a string or an array of text parts.
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        nested.AddReasoning(JsonStrings.Read(ref reader, out bool ok), ok);
                    }
                    else if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        ReadContentParts(ref reader, ref nested, asReasoning: true);
                    }
                    else
                    {
                        reader.TrySkip();
                    }
                }
                else
                {
                    reader.Read();
                    reader.TrySkip();
                }
            }

            if (text is not null && (isText || isThinking))
            {
                AddPart(ref delta, text, wellFormed, asReasoning || isThinking);
            }

            if (nested.Reasoning is not null)
            {
                delta.AddReasoning(nested.Reasoning, !nested.ReasoningIllFormed);
            }
        }
    }

    private static void AddPart(ref DeltaText delta, string text, bool wellFormed, bool asReasoning)
    {
        if (asReasoning)
        {
            delta.AddReasoning(text, wellFormed);
        }
        else
        {
            delta.AddContent(text, wellFormed);
        }
    }

    private static TokenUsage? ReadNestedUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.TrySkip();
            return null;
        }

        TokenUsage? usage = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            JsonName name = JsonNames.Identify(ref reader);
            if (name == JsonName.Usage)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    usage = ReadUsage(ref reader);
                }
                else
                {
                    reader.TrySkip();
                }
            }
            else
            {
                reader.Read();
                reader.TrySkip();
            }
        }

        return usage;
    }

    private static TokenUsage ReadUsage(ref Utf8JsonReader reader)
    {
        int prompt = 0, completion = 0, total = -1;
        int? cached = null, reasoningTokens = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            JsonName name = JsonNames.Identify(ref reader);
            if (name == JsonName.PromptTokens)
            {
                prompt = ReadInt(ref reader) ?? 0;
            }
            else if (name == JsonName.CompletionTokens)
            {
                completion = ReadInt(ref reader) ?? 0;
            }
            else if (name == JsonName.TotalTokens)
            {
                total = ReadInt(ref reader) ?? -1;
            }
            else if (name == JsonName.PromptTokensDetails)
            {
                cached = ReadNestedInt(ref reader, "cached_tokens"u8) ?? cached;
            }
            else if (name == JsonName.CompletionTokensDetails)
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
            CachedInputTokenCount = cached,
            ReasoningTokenCount = reasoningTokens,
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
