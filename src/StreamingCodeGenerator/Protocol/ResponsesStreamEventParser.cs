using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>
/// Parses one server-sent event of OpenAI's Responses API (<c>POST /v1/responses</c> with <c>stream: true</c>) into a
/// <see cref="ProviderStreamEvent"/> with <see cref="Utf8JsonReader"/>. One instance reads one response (it remembers
/// whether reasoning was seen, to separate summary parts).
/// </summary>
/// <remarks>
/// <para>
/// Every event is <c>event: TYPE</c> and <c>data: {"type":"TYPE",…}</c>; the type is taken from the <c>event:</c> line
/// and, when a server leaves that out, from the data's <c>type</c>. Event types not named here (tool calls, web search,
/// annotations, item and part bookkeeping, the <c>*.done</c> events that repeat text already streamed, and types added
/// later) are skipped without being parsed: OpenAI documents that new event types may appear.
/// </para>
/// <para>
/// The answer is every <c>response.output_text.delta</c>, across output items, joined with nothing between them (as
/// OpenAI's SDKs join <c>output_text</c>). Reasoning is <c>response.reasoning_summary_text.delta</c> (OpenAI's
/// o-series and GPT-5 models, when the request asks for a summary) and <c>response.reasoning_text.delta</c> (raw
/// reasoning: DeepSeek, gpt-oss through OpenRouter); a new summary part after earlier reasoning starts with a blank line.
/// The stream ends with <c>response.completed</c> or <c>response.incomplete</c> (terminal), or fails with an
/// <c>error</c> event and/or <c>response.failed</c>; OpenRouter adds <c>data: [DONE]</c>.
/// </para>
/// </remarks>
internal sealed class ResponsesStreamEventParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 };

    private readonly SecretRedactor _redactor;
    private bool _sawReasoning;

    public ResponsesStreamEventParser(SecretRedactor redactor)
    {
        _redactor = redactor;
    }

    private enum Kind : byte
    {
        Unnamed,
        Skipped,
        OutputTextDelta,
        RefusalDelta,
        ReasoningDelta,
        ReasoningSummaryPartAdded,
        Lifecycle,
        Completed,
        Incomplete,
        Failed,
        Error,
    }

    /// <summary>Set once the stats know the response id, so later events skip allocating it.</summary>
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
        if (trimmed.SequenceEqual("[DONE]"u8))
        {
            result.IsDone = true;
            return result;
        }

        Kind kind = KindOf(eventType);
        if (kind == Kind.Skipped)
        {
            return result;
        }

        try
        {
            if (kind == Kind.Unnamed)
            {
                kind = KindOfData(trimmed, data);
                if (kind == Kind.Skipped)
                {
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
                throw new SseProtocolException("A Responses API event's data is not a JSON object.", data, _redactor);
            }

            switch (kind)
            {
                case Kind.OutputTextDelta:
                    result.Content = ReadDelta(ref reader, out result.ContentIllFormed);
                    break;
                case Kind.RefusalDelta:
                    result.Refusal = _redactor.Redact(ReadDelta(ref reader, out _));
                    break;
                case Kind.ReasoningDelta:
                    result.Reasoning = ReadDelta(ref reader, out result.ReasoningIllFormed);
                    _sawReasoning |= result.Reasoning is not null;
                    break;
                case Kind.ReasoningSummaryPartAdded:
                    SkipObject(ref reader);
                    result.Reasoning = _sawReasoning ? "\n\n" : null;
                    break;
                case Kind.Error:
                    result.Error = ReadErrorEvent(ref reader);
                    break;
                default:
                    ReadResponseEvent(ref reader, ref result, kind);
                    break;
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                throw new SseProtocolException("A Responses API event's data has content after its JSON object.", data, _redactor);
            }
        }
        catch (InvalidOperationException ex)
        {
            throw new SseProtocolException("A Responses API event's data has an unexpected shape: " + ex.Message, data, _redactor, ex);
        }
        catch (JsonException ex)
        {
            var redacted = new JsonException(_redactor.Redact(ex.Message), null, ex.LineNumber, ex.BytePositionInLine);
            throw new SseProtocolException("A Responses API event's data is not valid JSON: " + redacted.Message, data, _redactor, redacted);
        }

        return result;
    }

    private static Kind KindOf(string eventType) => eventType switch
    {
        "response.output_text.delta" => Kind.OutputTextDelta,
        "response.refusal.delta" => Kind.RefusalDelta,
        "response.reasoning_summary_text.delta" or "response.reasoning_text.delta" => Kind.ReasoningDelta,
        "response.reasoning_summary_part.added" => Kind.ReasoningSummaryPartAdded,
        "response.created" or "response.in_progress" or "response.queued" => Kind.Lifecycle,
        "response.completed" => Kind.Completed,
        "response.incomplete" => Kind.Incomplete,
        "response.failed" => Kind.Failed,
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
            throw new SseProtocolException("A Responses API event's data is not a JSON object.", data, _redactor);
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

            return reader.ValueTextEquals("response.output_text.delta"u8) ? Kind.OutputTextDelta
                : reader.ValueTextEquals("response.refusal.delta"u8) ? Kind.RefusalDelta
                : reader.ValueTextEquals("response.reasoning_summary_text.delta"u8) || reader.ValueTextEquals("response.reasoning_text.delta"u8) ? Kind.ReasoningDelta
                : reader.ValueTextEquals("response.reasoning_summary_part.added"u8) ? Kind.ReasoningSummaryPartAdded
                : reader.ValueTextEquals("response.created"u8) || reader.ValueTextEquals("response.in_progress"u8) || reader.ValueTextEquals("response.queued"u8) ? Kind.Lifecycle
                : reader.ValueTextEquals("response.completed"u8) ? Kind.Completed
                : reader.ValueTextEquals("response.incomplete"u8) ? Kind.Incomplete
                : reader.ValueTextEquals("response.failed"u8) ? Kind.Failed
                : reader.ValueTextEquals("error"u8) ? Kind.Error
                : Kind.Skipped;
        }

        throw new SseProtocolException("A Responses API event has neither an event type nor a \"type\" in its data.", data, _redactor);
    }

    /// <summary>Reads the <c>delta</c> string of a delta event, skipping its other properties.</summary>
    private static string? ReadDelta(ref Utf8JsonReader reader, out bool illFormed)
    {
        string? delta = null;
        bool wellFormed = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("delta"u8))
            {
                delta = ProviderJson.ReadText(ref reader, out wellFormed);
            }
            else
            {
                ProviderJson.Skip(ref reader);
            }
        }

        illFormed = !wellFormed;
        return delta;
    }

    private static void SkipObject(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ProviderJson.Skip(ref reader);
        }
    }

    /// <summary>Reads the <c>response</c> object of a lifecycle event: id and model, and on the last event the outcome and usage.</summary>
    private void ReadResponseEvent(ref Utf8JsonReader reader, ref ProviderStreamEvent result, Kind kind)
    {
        string? reason = null;
        ApiError? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("response"u8))
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
                else if (reader.ValueTextEquals("usage"u8) && kind is Kind.Completed or Kind.Incomplete or Kind.Failed)
                {
                    result.Usage = ReadUsage(ref reader);
                }
                else if (reader.ValueTextEquals("incomplete_details"u8) && kind == Kind.Incomplete)
                {
                    reason = ReadIncompleteReason(ref reader);
                }
                else if (reader.ValueTextEquals("error"u8) && kind == Kind.Failed)
                {
                    error = ReadErrorObject(ref reader);
                }
                else
                {
                    ProviderJson.Skip(ref reader);
                }
            }
        }

        switch (kind)
        {
            case Kind.Completed:
                result.IsTerminal = true;
                result.FinishReason = "completed";
                break;
            case Kind.Incomplete:
                result.IsTerminal = true;
                result.FinishReason = _redactor.Redact(reason) ?? "incomplete";
                break;
            case Kind.Failed:
                result.Error = (error ?? new ApiError("The response failed (response.failed) without saying why.", null, null, null)).Redacted(_redactor);
                break;
        }
    }

    private static string? ReadIncompleteReason(ref Utf8JsonReader reader)
    {
        if (!ProviderJson.EnterObject(ref reader))
        {
            return null;
        }

        string? reason = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("reason"u8))
            {
                reason = ProviderJson.ReadString(ref reader);
            }
            else
            {
                ProviderJson.Skip(ref reader);
            }
        }

        return reason;
    }

    /// <summary>Reads <c>{"code","message","param","type"}</c> (the value of <c>error</c>); null or not an object gives <see langword="null"/>.</summary>
    private static ApiError? ReadErrorObject(ref Utf8JsonReader reader)
    {
        if (!ProviderJson.EnterObject(ref reader))
        {
            return null;
        }

        string? message = null, type = null, code = null, param = null;
        ApiError.ReadErrorObject(ref reader, ref message, ref type, ref code, ref param);
        return new ApiError(message, type, code, param);
    }

    /// <summary>
    /// An <c>error</c> event: <c>{"type":"error","error":{"type","code","message","param"}}</c> as the API sends it now,
    /// or <c>{"type":"error","code","message","param"}</c> as its reference documents it.
    /// </summary>
    private ApiError ReadErrorEvent(ref Utf8JsonReader reader)
    {
        string? message = null, type = null, code = null, param = null;
        ApiError? nested = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("error"u8))
            {
                nested = ReadErrorObject(ref reader) ?? nested;
            }
            else if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = ApiError.ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = ApiError.ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("param"u8))
            {
                reader.Read();
                param = ApiError.ReadScalar(ref reader);
            }
            else
            {
                // The top-level "type" is always "error": it says nothing about the failure.
                ProviderJson.Skip(ref reader);
            }
        }

        ApiError error = nested is null
            ? new ApiError(message, type, code, param)
            : nested with { Message = nested.Message ?? message, Code = nested.Code ?? code, Param = nested.Param ?? param };
        return error.Redacted(_redactor);
    }

    /// <summary>
    /// <c>{"input_tokens","input_tokens_details":{"cached_tokens"},"output_tokens","output_tokens_details":{"reasoning_tokens"},"total_tokens"}</c>;
    /// <c>null</c> gives <see langword="null"/>.
    /// </summary>
    private static TokenUsage? ReadUsage(ref Utf8JsonReader reader)
    {
        if (!ProviderJson.EnterObject(ref reader))
        {
            return null;
        }

        int input = 0, output = 0, total = -1;
        int? cached = null, reasoning = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("input_tokens"u8))
            {
                input = ProviderJson.ReadInt(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("output_tokens"u8))
            {
                output = ProviderJson.ReadInt(ref reader) ?? 0;
            }
            else if (reader.ValueTextEquals("total_tokens"u8))
            {
                total = ProviderJson.ReadInt(ref reader) ?? -1;
            }
            else if (reader.ValueTextEquals("input_tokens_details"u8))
            {
                cached = ProviderJson.ReadNestedInt(ref reader, "cached_tokens"u8) ?? cached;
            }
            else if (reader.ValueTextEquals("output_tokens_details"u8))
            {
                reasoning = ProviderJson.ReadNestedInt(ref reader, "reasoning_tokens"u8) ?? reasoning;
            }
            else
            {
                ProviderJson.Skip(ref reader);
            }
        }

        return new TokenUsage(input, output, total >= 0 ? total : input + output)
        {
            CachedInputTokenCount = cached,
            ReasoningTokenCount = reasoning,
        };
    }
}
