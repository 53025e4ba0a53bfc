using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>
/// Parses one server-sent event of Anthropic's Messages API (<c>POST /v1/messages</c> with <c>stream: true</c>) into a
/// <see cref="ProviderStreamEvent"/> with <see cref="Utf8JsonReader"/>. One instance reads one message: it keeps the
/// usage <c>message_start</c> reported, which later <c>message_delta</c> events update.
/// </summary>
/// <remarks>
/// <para>
/// A message streams as <c>message_start</c>; per content block <c>content_block_start</c>, <c>content_block_delta</c>s
/// and <c>content_block_stop</c>; <c>message_delta</c> (the <c>stop_reason</c> and the final usage); <c>message_stop</c>.
/// <c>ping</c>s come anywhere, and an <c>error</c> event (<c>overloaded_error</c>…) can arrive after the HTTP 200. The
/// type is taken from the <c>event:</c> line and, when a server leaves that out, from the data's <c>type</c>; types not
/// named here (and types Anthropic adds later, as it says it will) are skipped.
/// </para>
/// <para>
/// The answer is the text of <c>text</c> blocks (<c>text_delta</c>), joined as they come; reasoning is the text of
/// <c>thinking</c> blocks (<c>thinking_delta</c>), a new block after earlier reasoning starting with a blank line.
/// <c>signature_delta</c>, <c>redacted_thinking</c>, tool blocks (<c>input_json_delta</c>), server tool results and
/// <c>citations_delta</c> carry no text for the caller.
/// </para>
/// <para>
/// Usage: <c>message_delta</c>'s counts are cumulative and replace <c>message_start</c>'s, field by field (a field it
/// leaves out keeps its value). Input tokens are <c>input_tokens</c> + <c>cache_creation_input_tokens</c> +
/// <c>cache_read_input_tokens</c> (Anthropic's <c>input_tokens</c> leaves the cached part out), cached tokens are
/// <c>cache_read_input_tokens</c>, reasoning tokens <c>output_tokens_details.thinking_tokens</c> when sent.
/// </para>
/// </remarks>
internal sealed class AnthropicStreamEventParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    private readonly SecretRedactor _redactor;
    private bool _sawReasoning;
    private int? _inputTokens;
    private int? _cacheCreationTokens;
    private int? _cacheReadTokens;
    private int? _outputTokens;
    private int? _thinkingTokens;

    public AnthropicStreamEventParser(SecretRedactor redactor)
    {
        _redactor = redactor;
    }

    private enum Kind : byte
    {
        Unnamed,
        Skipped,
        MessageStart,
        ContentBlockStart,
        ContentBlockDelta,
        MessageDelta,
        MessageStop,
        Ping,
        Error,
    }

    private enum BlockType : byte
    {
        Unknown,
        Text,
        Thinking,
        Other,
    }

    /// <summary>Set once the stats know the message id, so later events skip allocating it.</summary>
    public bool NeedId { get; set; } = true;

    /// <summary>Set once the stats know the model, so later events skip allocating it.</summary>
    public bool NeedModel { get; set; } = true;

    /// <summary>The SSE item parser: called by <see cref="System.Net.ServerSentEvents.SseParser"/> for every event.</summary>
    /// <param name="eventType">The <c>event:</c> field (<c>message</c> when the server sent none).</param>
    /// <param name="data">The event's data.</param>
    /// <exception cref="SseProtocolException">The data of an event this parser reads is not the JSON object it should be.</exception>
    public ProviderStreamEvent Parse(string eventType, ReadOnlySpan<byte> data)
    {
        ProviderStreamEvent result = default;
        ReadOnlySpan<byte> trimmed = data.Trim(" \t\r\n"u8);
        Kind kind = KindOf(eventType);
        if (kind == Kind.Skipped)
        {
            return result;
        }

        if (kind == Kind.Ping)
        {
            result.IsKeepAlive = true;
            return result;
        }

        try
        {
            if (kind == Kind.Unnamed)
            {
                kind = KindOfData(trimmed, data);
                if (kind is Kind.Skipped or Kind.Ping)
                {
                    result.IsKeepAlive = kind == Kind.Ping;
                    return result;
                }
            }

            if (kind == Kind.Error && (trimmed.IsEmpty || trimmed[0] != (byte)'{'))
            {
                // An event named "error" whose data is not a JSON object (a proxy's text): keep what it says.
                result.Error = new ApiError(ApiError.PlainExcerpt(trimmed), null, null, null).Redacted(_redactor);
                return result;
            }

            var reader = new Utf8JsonReader(trimmed, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new SseProtocolException("A Messages API event's data is not a JSON object.", data, _redactor);
            }

            switch (kind)
            {
                case Kind.MessageStart:
                    ReadMessageStart(ref reader, ref result);
                    break;
                case Kind.ContentBlockStart:
                    ReadBlockStart(ref reader, ref result);
                    break;
                case Kind.ContentBlockDelta:
                    ReadBlockDelta(ref reader, ref result);
                    break;
                case Kind.MessageDelta:
                    ReadMessageDelta(ref reader, ref result);
                    break;
                case Kind.MessageStop:
                    SkipRest(ref reader);
                    result.IsTerminal = true;
                    break;
                default:
                    result.Error = ReadErrorEvent(ref reader);
                    break;
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new SseProtocolException("A Messages API event's data has content after its JSON object.", data, _redactor);
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new SseProtocolException("A Messages API event's data has an unexpected shape: " + ex.Message, data, _redactor, ex);
        }
        catch (JsonException ex)
        {
            var redacted = new JsonException(_redactor.Redact(ex.Message), null, ex.LineNumber, ex.BytePositionInLine);
            throw new SseProtocolException("A Messages API event's data is not valid JSON: " + redacted.Message, data, _redactor, redacted);
        }

        return result;
    }

    private static Kind KindOf(string eventType) => eventType switch
    {
        "content_block_delta" => Kind.ContentBlockDelta,
        "content_block_start" => Kind.ContentBlockStart,
        "message_start" => Kind.MessageStart,
        "message_delta" => Kind.MessageDelta,
        "message_stop" => Kind.MessageStop,
        "ping" => Kind.Ping,
        "error" => Kind.Error,
        "" or "message" => Kind.Unnamed,
        _ => Kind.Skipped,
    };

    /// <summary>An event without an <c>event:</c> line: its kind is its data's top-level <c>type</c>.</summary>
    private Kind KindOfData(ReadOnlySpan<byte> json, ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new SseProtocolException("A Messages API event's data is not a JSON object.", data, _redactor);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("type"u8))
            {
                ProviderJson.Skip(ref reader);
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
            {
                break;
            }

            return reader.ValueTextEquals("content_block_delta"u8) ? Kind.ContentBlockDelta
                : reader.ValueTextEquals("content_block_start"u8) ? Kind.ContentBlockStart
                : reader.ValueTextEquals("message_start"u8) ? Kind.MessageStart
                : reader.ValueTextEquals("message_delta"u8) ? Kind.MessageDelta
                : reader.ValueTextEquals("message_stop"u8) ? Kind.MessageStop
                : reader.ValueTextEquals("ping"u8) ? Kind.Ping
                : reader.ValueTextEquals("error"u8) ? Kind.Error
                : Kind.Skipped;
        }

        throw new SseProtocolException("A Messages API event has neither an event type nor a \"type\" in its data.", data, _redactor);
    }

    private static void SkipRest(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ProviderJson.Skip(ref reader);
        }
    }

    /// <summary><c>{"type":"message_start","message":{"id","model","usage":{…},…}}</c>.</summary>
    private void ReadMessageStart(ref Utf8JsonReader reader, ref ProviderStreamEvent result)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("message"u8))
            {
                ProviderJson.Skip(ref reader);
                continue;
            }

            if (!ProviderJson.EnterObject(ref reader))
            {
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8) && NeedId)
                {
                    result.Id = _redactor.Redact(ProviderJson.ReadString(ref reader));
                }
                else if (reader.ValueTextEquals("model"u8) && NeedModel)
                {
                    result.Model = _redactor.Redact(ProviderJson.ReadString(ref reader));
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    MergeUsage(ref reader);
                }
                else
                {
                    ProviderJson.Skip(ref reader);
                }
            }
        }
    }

    /// <summary>
    /// <c>{"type":"content_block_start","index":N,"content_block":{"type":"text","text":""}}</c>: a text or thinking
    /// block may start with text of its own (a non-empty <c>text</c> or <c>thinking</c>).
    /// </summary>
    private void ReadBlockStart(ref Utf8JsonReader reader, ref ProviderStreamEvent result)
    {
        BlockType type = BlockType.Unknown;
        string? text = null, thinking = null;
        bool textWellFormed = true, thinkingWellFormed = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("content_block"u8))
            {
                ProviderJson.Skip(ref reader);
                continue;
            }

            if (!ProviderJson.EnterObject(ref reader))
            {
                continue;
            }

            // The order of "type" and the text varies (some gateways write "text" first), so both are read, then matched.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    type = ReadBlockType(ref reader, "text"u8, "thinking"u8);
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    text = ProviderJson.ReadText(ref reader, out textWellFormed);
                }
                else if (reader.ValueTextEquals("thinking"u8))
                {
                    thinking = ProviderJson.ReadText(ref reader, out thinkingWellFormed);
                }
                else
                {
                    ProviderJson.Skip(ref reader);
                }
            }
        }

        if (type == BlockType.Text && text is not null)
        {
            result.Content = text;
            result.ContentIllFormed = !textWellFormed;
        }
        else if (type == BlockType.Thinking)
        {
            result.Reasoning = _sawReasoning ? (thinking is null ? "\n\n" : string.Concat("\n\n", thinking)) : thinking;
            result.ReasoningIllFormed = !thinkingWellFormed;
            _sawReasoning |= thinking is not null;
        }
    }

    /// <summary>
    /// <c>{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}</c>, or a <c>thinking_delta</c>
    /// with <c>thinking</c>; other delta types carry nothing for the caller.
    /// </summary>
    private void ReadBlockDelta(ref Utf8JsonReader reader, ref ProviderStreamEvent result)
    {
        BlockType type = BlockType.Unknown;
        string? text = null, thinking = null;
        bool textWellFormed = true, thinkingWellFormed = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("delta"u8))
            {
                ProviderJson.Skip(ref reader);
                continue;
            }

            if (!ProviderJson.EnterObject(ref reader))
            {
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    type = ReadBlockType(ref reader, "text_delta"u8, "thinking_delta"u8);
                }
                else if (reader.ValueTextEquals("text"u8))
                {
                    text = ProviderJson.ReadText(ref reader, out textWellFormed);
                }
                else if (reader.ValueTextEquals("thinking"u8))
                {
                    thinking = ProviderJson.ReadText(ref reader, out thinkingWellFormed);
                }
                else
                {
                    ProviderJson.Skip(ref reader);
                }
            }
        }

        // A delta without a type (a lenient gateway) is read by the field it carries.
        if (text is not null && type is BlockType.Text or BlockType.Unknown)
        {
            result.Content = text;
            result.ContentIllFormed = !textWellFormed;
        }

        if (thinking is not null && type is BlockType.Thinking or BlockType.Unknown)
        {
            result.Reasoning = thinking;
            result.ReasoningIllFormed = !thinkingWellFormed;
            _sawReasoning = true;
        }
    }

    private static BlockType ReadBlockType(ref Utf8JsonReader reader, ReadOnlySpan<byte> text, ReadOnlySpan<byte> thinking)
    {
        reader.Read();
        BlockType type = reader.TokenType != JsonTokenType.String ? BlockType.Other
            : reader.ValueTextEquals(text) ? BlockType.Text
            : reader.ValueTextEquals(thinking) ? BlockType.Thinking
            : BlockType.Other;
        reader.TrySkip();
        return type;
    }

    /// <summary>
    /// <c>{"type":"message_delta","delta":{"stop_reason","stop_sequence","stop_details":{…}},"usage":{…}}</c>: the finish,
    /// the refusal's explanation, and the final usage.
    /// </summary>
    private void ReadMessageDelta(ref Utf8JsonReader reader, ref ProviderStreamEvent result)
    {
        string? stopReason = null, explanation = null;
        bool sawUsage = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("usage"u8))
            {
                sawUsage = true;
                MergeUsage(ref reader);
                continue;
            }

            if (!reader.ValueTextEquals("delta"u8))
            {
                ProviderJson.Skip(ref reader);
                continue;
            }

            if (!ProviderJson.EnterObject(ref reader))
            {
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("stop_reason"u8))
                {
                    stopReason = ProviderJson.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("stop_details"u8))
                {
                    explanation = ReadExplanation(ref reader);
                }
                else
                {
                    ProviderJson.Skip(ref reader);
                }
            }
        }

        result.FinishReason = _redactor.Redact(stopReason);
        if (explanation is not null && string.Equals(stopReason, "refusal", StringComparison.Ordinal))
        {
            result.Refusal = _redactor.Redact(explanation);
        }

        if (sawUsage)
        {
            int input = (_inputTokens ?? 0) + (_cacheCreationTokens ?? 0) + (_cacheReadTokens ?? 0);
            int output = _outputTokens ?? 0;
            result.Usage = new TokenUsage(input, output, input + output)
            {
                CachedInputTokenCount = _cacheReadTokens,
                ReasoningTokenCount = _thinkingTokens,
            };
        }
    }

    private static string? ReadExplanation(ref Utf8JsonReader reader)
    {
        if (!ProviderJson.EnterObject(ref reader))
        {
            return null;
        }

        string? explanation = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("explanation"u8))
            {
                explanation = ProviderJson.ReadString(ref reader);
            }
            else
            {
                ProviderJson.Skip(ref reader);
            }
        }

        return explanation;
    }

    /// <summary>Updates the running usage from a <c>usage</c> object: each count it carries replaces the one kept.</summary>
    private void MergeUsage(ref Utf8JsonReader reader)
    {
        if (!ProviderJson.EnterObject(ref reader))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                _inputTokens = ProviderJson.ReadInt(ref reader) ?? _inputTokens;
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                _outputTokens = ProviderJson.ReadInt(ref reader) ?? _outputTokens;
            }
            else if (reader.ValueTextEquals("cache_read_input_tokens"u8))
            {
                _cacheReadTokens = ProviderJson.ReadInt(ref reader) ?? _cacheReadTokens;
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                _cacheCreationTokens = ProviderJson.ReadInt(ref reader) ?? _cacheCreationTokens;
            }
            else if (reader.ValueTextEquals("output_tokens_details"u8))
            {
                _thinkingTokens = ProviderJson.ReadNestedInt(ref reader, "thinking_tokens"u8) ?? _thinkingTokens;
            }
            else
            {
                ProviderJson.Skip(ref reader);
            }
        }
    }

    /// <summary><c>{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}</c>.</summary>
    private ApiError ReadErrorEvent(ref Utf8JsonReader reader)
    {
        string? message = null, type = null, code = null, param = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("error"u8) && ProviderJson.EnterObject(ref reader))
            {
                ApiError.ReadErrorObject(ref reader, ref message, ref type, ref code, ref param);
            }
            else if (reader.TokenType == JsonTokenType.PropertyName)
            {
                ProviderJson.Skip(ref reader);
            }
        }

        return new ApiError(message, type, code, param).Redacted(_redactor);
    }
}
