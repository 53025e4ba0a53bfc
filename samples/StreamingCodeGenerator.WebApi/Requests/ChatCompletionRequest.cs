using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// The body of <c>POST /v1/chat/completions</c>: OpenAI's chat completion request (the fields this service uses), or
/// the earlier Python service's <c>{"prompt": …}</c>. OpenAI fields that ask for what the service cannot do (tools,
/// JSON output, log probabilities, n &gt; 1, audio, web search) are refused by <see cref="UnsupportedParameters"/>; the
/// others are accepted and ignored.
/// </summary>
internal sealed record ChatCompletionRequest
{
    public const string Example = "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Write a bubble sort in Python\"}], \"stream\": true}";

    [Description("The conversation: system (or developer), user and assistant messages. Content is a string or an array of text parts.")]
    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    [Description("The earlier Python service's form: a single prompt, sent as the last user message (after messages, if any).")]
    public string? Prompt { get; init; }

    [Description("The model. Honoured when WebApi:AllowedModels lists it; otherwise the configured model answers, and the response names it.")]
    public string? Model { get; init; }

    [Description("Sampling temperature, 0 to 2.")]
    public double? Temperature { get; init; }

    [JsonPropertyName("max_tokens")]
    [Description("Output token limit (the older name).")]
    public int? MaxTokens { get; init; }

    [JsonPropertyName("max_completion_tokens")]
    [Description("Output token limit; wins over max_tokens.")]
    public int? MaxCompletionTokens { get; init; }

    [Description("Up to four stop sequences: a string or an array of strings.")]
    public JsonElement? Stop { get; init; }

    [Description("true: server-sent events of chat.completion.chunk objects, ending with data: [DONE]. false or absent: one chat.completion object.")]
    public bool? Stream { get; init; }

    [JsonPropertyName("stream_options")]
    [Description("include_usage: true adds a last chunk with empty choices and the usage.")]
    public StreamOptions? StreamOptions { get; init; }

    [Description("Extension: the programming language to write code in (added to the default system prompt).")]
    public string? Language { get; init; }

    /// <summary>Reads and checks a parsed body.</summary>
    public static (ParsedChatRequest? Request, ServiceError? Error) Parse(JsonElement body, int maxPromptCharacters, IList<string> allowedModels)
    {
        if (UnsupportedParameters.Check(body, UnsupportedParameters.ChatCompletions) is { } unsupported)
        {
            return Fail(unsupported);
        }

        var messages = new List<ConversationMessage>();
        bool hasMessages = body.TryGetProperty("messages", out JsonElement messagesElement) && messagesElement.ValueKind != JsonValueKind.Null;
        if (hasMessages)
        {
            if (messagesElement.ValueKind != JsonValueKind.Array)
            {
                return Fail(RequestFields.WrongType("messages", "an array of messages", messagesElement));
            }

            int index = 0;
            foreach (JsonElement item in messagesElement.EnumerateArray())
            {
                if (ChatMessage.Parse(item, index, out ConversationMessage? message) is { } messageError)
                {
                    return Fail(messageError);
                }

                messages.Add(message!);
                index++;
            }
        }

        if (RequestFields.OptionalString(body, "prompt", out string? prompt) is { } promptTypeError)
        {
            return Fail(promptTypeError);
        }

        if (prompt is not null)
        {
            if (RequestFields.CheckPrompt("prompt", prompt, maxPromptCharacters) is { } promptError)
            {
                return Fail(promptError);
            }
        }
        else if (!hasMessages)
        {
            return Fail(ServiceError.BadRequest("missing_messages", "'messages' is required: an array such as [{\"role\": \"user\", \"content\": \"Write a bubble sort\"}] (or send {\"prompt\": \"...\"}).", "messages"));
        }
        else if (messages.Count == 0)
        {
            return Fail(ServiceError.BadRequest("empty_messages", "'messages' must hold at least one message.", "messages"));
        }
        else if (messages.FindLastIndex(m => m.Role == MessageRole.User) is var last && last < 0)
        {
            return Fail(ServiceError.BadRequest("missing_user_message", "'messages' must hold a user message: the task for the model.", "messages"));
        }
        else if (string.IsNullOrWhiteSpace(messages[last].Content))
        {
            return Fail(ServiceError.BadRequest("empty_prompt", $"messages[{last}].content must not be empty.", $"messages[{last}].content"));
        }
        else if (messages[last].Content.Length > maxPromptCharacters)
        {
            return Fail(RequestFields.CheckPrompt($"messages[{last}].content", messages[last].Content, maxPromptCharacters)!);
        }

        var request = new CodeGenerationRequest { Messages = messages, Prompt = prompt };
        if (RequestFields.OptionalString(body, "model", out string? model) is { } modelError)
        {
            return Fail(modelError);
        }

        if (model is not null && allowedModels.Contains(model, StringComparer.Ordinal))
        {
            request.Model = model;
        }

        if (body.TryGetProperty("temperature", out JsonElement temperature) && temperature.ValueKind != JsonValueKind.Null)
        {
            if (temperature.ValueKind != JsonValueKind.Number || !temperature.TryGetDouble(out double value) || value is < 0 or > 2)
            {
                return Fail(ServiceError.BadRequest("invalid_temperature", "'temperature' must be a number from 0 to 2.", "temperature"));
            }

            request.Temperature = (float)value;
        }

        string? outputLimitField = null;
        foreach (string name in (ReadOnlySpan<string>)["max_tokens", "max_completion_tokens"])
        {
            if (body.TryGetProperty(name, out JsonElement limit) && limit.ValueKind != JsonValueKind.Null)
            {
                if (limit.ValueKind != JsonValueKind.Number || !limit.TryGetInt32(out int tokens) || tokens <= 0)
                {
                    return Fail(ServiceError.BadRequest("invalid_max_tokens", $"'{name}' must be a positive whole number.", name));
                }

                request.MaxOutputTokens = tokens;
                outputLimitField = name;
            }
        }

        if (body.TryGetProperty("stop", out JsonElement stop))
        {
            if (CheckStop(stop) is { } stopError)
            {
                return Fail(stopError);
            }

            request.StopSequences = ReadStops(stop);
        }

        if (RequestFields.OptionalBoolean(body, "stream", out bool? stream) is { } streamError)
        {
            return Fail(streamError);
        }

        bool includeUsage = false;
        if (body.TryGetProperty("stream_options", out JsonElement options) && options.ValueKind != JsonValueKind.Null)
        {
            if (options.ValueKind != JsonValueKind.Object)
            {
                return Fail(RequestFields.WrongType("stream_options", "an object such as {\"include_usage\": true}", options));
            }

            if (RequestFields.OptionalBoolean(options, "include_usage", out bool? usage) is { } usageError)
            {
                return Fail(usageError with { Message = usageError.Message.Replace("'include_usage'", "'stream_options.include_usage'", StringComparison.Ordinal), Param = "stream_options.include_usage" });
            }

            includeUsage = usage == true;
        }

        if ((RequestFields.OptionalString(body, "language", out string? language) ?? RequestFields.CheckLanguage("language", language)) is { } languageError)
        {
            return Fail(languageError);
        }

        request.TargetLanguage = language;
        return (new ParsedChatRequest(request, stream == true, includeUsage, outputLimitField), null);
    }

    private static ServiceError? CheckStop(JsonElement stop)
    {
        const string Rule = "'stop' must be a non-empty string or an array of at most four non-empty strings.";
        if (stop.ValueKind is JsonValueKind.Null)
        {
            return null;
        }

        if (stop.ValueKind == JsonValueKind.String)
        {
            return stop.GetString()!.Length == 0 ? ServiceError.BadRequest("invalid_stop", Rule, "stop") : null;
        }

        if (stop.ValueKind != JsonValueKind.Array || stop.GetArrayLength() > 4)
        {
            return ServiceError.BadRequest("invalid_stop", Rule, "stop");
        }

        foreach (JsonElement item in stop.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString()!.Length == 0)
            {
                return ServiceError.BadRequest("invalid_stop", Rule, "stop");
            }
        }

        return null;
    }

    private static List<string> ReadStops(JsonElement stop) => stop.ValueKind switch
    {
        JsonValueKind.String => [stop.GetString()!],
        JsonValueKind.Array => [.. stop.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
        _ => [],
    };

    private static (ParsedChatRequest?, ServiceError?) Fail(ServiceError error) => (null, error);
}
