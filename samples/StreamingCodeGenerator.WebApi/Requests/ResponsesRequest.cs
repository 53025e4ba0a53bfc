using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// The body of <c>POST /v1/responses</c>: OpenAI's Responses API request, text in and text out (the fields this service
/// uses; fields asking for what it cannot do are refused by <see cref="UnsupportedParameters"/>, others ignored).
/// </summary>
internal sealed record ResponsesRequest
{
    public const string Example = "{\"model\": \"gpt-4o-mini\", \"input\": \"Write a bubble sort in Python\", \"stream\": true}";

    [Description("The task: a string (one user message), or an array of messages {\"role\": \"user\" | \"system\" | \"developer\" | \"assistant\", \"content\": a string or [{\"type\": \"input_text\" | \"output_text\", \"text\": \"...\"}]}.")]
    public required JsonElement Input { get; init; }

    [Description("A system message placed before the input.")]
    public string? Instructions { get; init; }

    [Description("The model. Honoured when WebApi:AllowedModels lists it; otherwise the configured model answers, and the response names it.")]
    public string? Model { get; init; }

    [Description("Sampling temperature, 0 to 2.")]
    public double? Temperature { get; init; }

    [JsonPropertyName("max_output_tokens")]
    [Description("Output token limit; an answer cut by it is status incomplete, incomplete_details.reason max_output_tokens.")]
    public int? MaxOutputTokens { get; init; }

    [Description("true: server-sent events (response.created … response.output_text.delta … response.completed). false or absent: one response object.")]
    public bool? Stream { get; init; }

    [Description("Extension: the programming language to write code in (added to the default system prompt).")]
    public string? Language { get; init; }

    /// <summary>Reads and checks a parsed body.</summary>
    public static (ParsedResponsesRequest? Request, ServiceError? Error) Parse(JsonElement body, int maxPromptCharacters, IList<string> allowedModels)
    {
        if (UnsupportedParameters.Check(body, UnsupportedParameters.Responses) is { } unsupported)
        {
            return Fail(unsupported);
        }

        if (!body.TryGetProperty("input", out JsonElement input) || input.ValueKind == JsonValueKind.Null)
        {
            return Fail(ServiceError.BadRequest("missing_input", "'input' is required: a string such as \"Write a bubble sort\", or an array of messages.", "input"));
        }

        var messages = new List<ConversationMessage>();
        if (ResponseInput.Parse(input, messages) is { } inputError)
        {
            return Fail(inputError);
        }

        int last = messages.FindLastIndex(m => m.Role == MessageRole.User);
        string lastAt = input.ValueKind == JsonValueKind.String ? "input" : $"input[{last}].content";
        if (messages.Count == 0)
        {
            return Fail(ServiceError.BadRequest("empty_input", "'input' must hold at least one message.", "input"));
        }

        if (last < 0)
        {
            return Fail(ServiceError.BadRequest("missing_user_message", "'input' must hold a user message: the task for the model.", "input"));
        }

        if (RequestFields.CheckPrompt(lastAt, messages[last].Content, maxPromptCharacters) is { } promptError)
        {
            return Fail(promptError);
        }

        if (RequestFields.OptionalString(body, "instructions", out string? instructions) is { } instructionsError)
        {
            return Fail(instructionsError);
        }

        if (!string.IsNullOrEmpty(instructions))
        {
            messages.Insert(0, ConversationMessage.System(instructions));
        }

        var request = new CodeGenerationRequest { Messages = messages };
        if (RequestFields.OptionalString(body, "model", out string? model) is { } modelError)
        {
            return Fail(modelError);
        }

        if (model is not null && allowedModels.Contains(model, StringComparer.Ordinal))
        {
            request.Model = model;
        }

        if (RequestFields.OptionalNumber(body, "temperature", 0, 2, out double? temperature) is { } temperatureError)
        {
            return Fail(temperatureError);
        }

        request.Temperature = (float?)temperature;
        if (RequestFields.OptionalNumber(body, "top_p", 0, 1, out double? topP) is { } topPError)
        {
            return Fail(topPError);
        }

        if (body.TryGetProperty("max_output_tokens", out JsonElement limit) && limit.ValueKind != JsonValueKind.Null)
        {
            if (limit.ValueKind != JsonValueKind.Number || !limit.TryGetInt32(out int tokens) || tokens <= 0)
            {
                return Fail(ServiceError.BadRequest("invalid_max_tokens", "'max_output_tokens' must be a positive whole number.", "max_output_tokens"));
            }

            request.MaxOutputTokens = tokens;
        }

        if (RequestFields.OptionalBoolean(body, "stream", out bool? stream) is { } streamError)
        {
            return Fail(streamError);
        }

        if ((RequestFields.OptionalString(body, "language", out string? language) ?? RequestFields.CheckLanguage("language", language)) is { } languageError)
        {
            return Fail(languageError);
        }

        request.TargetLanguage = language;
        if (RequestFields.OptionalString(body, "user", out string? user) is { } userError)
        {
            return Fail(userError);
        }

        return (new ParsedResponsesRequest(request, stream == true, instructions, temperature, topP, user, Metadata(body)), null);
    }

    /// <summary>The request's <c>metadata</c> to echo: its string values (OpenAI allows only those), at most 16.</summary>
    private static Dictionary<string, string> Metadata(JsonElement body)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (body.TryGetProperty("metadata", out JsonElement element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in element.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Take(16))
            {
                metadata[property.Name] = property.Value.GetString()!;
            }
        }

        return metadata;
    }

    private static (ParsedResponsesRequest?, ServiceError?) Fail(ServiceError error) => (null, error);
}
