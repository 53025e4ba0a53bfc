using System.Text.Json;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// The fields of OpenAI's requests that ask for something this service cannot do: tools and function calls,
/// structured (JSON) output, log probabilities, several choices, audio, web search, stored responses. Sent with a value
/// that asks for it, such a field is a 400 <c>unsupported_parameter</c> naming it, as OpenAI answers a parameter a
/// model does not support, instead of being dropped (a client would then get plain text where it expects JSON or a
/// tool call, and fail in a way that does not say why). The default value (or an empty list) is accepted.
/// </summary>
/// <remarks>
/// Accepted and ignored, because ignoring them changes nothing a client relies on: <c>user</c>, <c>metadata</c>,
/// <c>store</c>, <c>seed</c>, <c>service_tier</c>, <c>safety_identifier</c>, <c>prompt_cache_key</c>,
/// <c>parallel_tool_calls</c> (there are no tools), <c>prediction</c> (only makes an answer faster),
/// <c>reasoning_effort</c> / <c>reasoning</c>, <c>verbosity</c> / <c>text.verbosity</c>, <c>top_p</c>,
/// <c>frequency_penalty</c>, <c>presence_penalty</c>, <c>truncation</c>, <c>max_tool_calls</c>,
/// <c>stream_options.include_obfuscation</c>, and <c>include</c> entries other than log probabilities.
/// </remarks>
internal static class UnsupportedParameters
{
    private const string TextOnly = "this service answers with text only, no tool or function calls";

    /// <summary>Fields of <c>POST /v1/chat/completions</c>.</summary>
    public static IReadOnlyList<UnsupportedParameter> ChatCompletions { get; } =
    [
        new("tools", IsEmptyArray, TextOnly),
        new("tool_choice", value => IsString(value, "none", "auto"), TextOnly + " (only \"none\" or \"auto\" is accepted)"),
        new("functions", IsEmptyArray, TextOnly),
        new("function_call", value => IsString(value, "none", "auto"), TextOnly + " (only \"none\" or \"auto\" is accepted)"),
        new("response_format", IsTextFormat, "this service answers with free text (Markdown with code blocks), not JSON: only {\"type\": \"text\"} is accepted"),
        new("logprobs", value => value.ValueKind == JsonValueKind.False, "this service does not return log probabilities"),
        new("top_logprobs", IsZero, "this service does not return log probabilities"),
        new("n", value => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n == 1, "this service answers with one choice: leave 'n' out or set it to 1"),
        new("audio", _ => false, "this service answers with text only, not audio"),
        new("modalities", value => IsStringArrayOf(value, "text"), "this service answers with text only: only [\"text\"] is accepted"),
        new("web_search_options", _ => false, "this service does not search the web"),
        new("logit_bias", value => value.ValueKind == JsonValueKind.Object && !value.EnumerateObject().Any(), "this service cannot bias tokens"),
    ];

    /// <summary>Fields of <c>POST /v1/responses</c>.</summary>
    public static IReadOnlyList<UnsupportedParameter> Responses { get; } =
    [
        new("tools", IsEmptyArray, TextOnly),
        new("tool_choice", value => IsString(value, "none", "auto"), TextOnly + " (only \"none\" or \"auto\" is accepted)"),
        new("text.format", IsTextFormat, "this service answers with free text (Markdown with code blocks), not JSON: only {\"type\": \"text\"} is accepted"),
        new("previous_response_id", _ => false, "this service keeps no responses: send the whole conversation in 'input'"),
        new("conversation", _ => false, "this service keeps no conversations: send the whole conversation in 'input'"),
        new("prompt", _ => false, "this service has no stored prompts: send 'instructions' and 'input'"),
        new("background", value => value.ValueKind == JsonValueKind.False, "this service answers while the client waits: leave 'background' out or set it to false"),
        new("top_logprobs", IsZero, "this service does not return log probabilities"),
        new("include", value => value.ValueKind == JsonValueKind.Array && !value.EnumerateArray().Any(item => item.ValueKind == JsonValueKind.String && item.GetString() == "message.output_text.logprobs"), "this service does not return log probabilities"),
    ];

    /// <summary>The first field of <paramref name="fields"/> in <paramref name="body"/> asking for what the service cannot do.</summary>
    public static ServiceError? Check(JsonElement body, IReadOnlyList<UnsupportedParameter> fields)
    {
        foreach (UnsupportedParameter field in fields)
        {
            if (Find(body, field.Name) is { } value && value.ValueKind != JsonValueKind.Null && !field.IsHarmless(value))
            {
                return ServiceError.BadRequest("unsupported_parameter", $"Unsupported parameter: '{field.Name}': {field.Reason}.", field.Name);
            }
        }

        return null;
    }

    private static JsonElement? Find(JsonElement body, string path)
    {
        JsonElement current = body;
        foreach (string name in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static bool IsEmptyArray(JsonElement value) => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0;

    private static bool IsZero(JsonElement value) => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) && number == 0;

    private static bool IsString(JsonElement value, params string[] accepted) =>
        value.ValueKind == JsonValueKind.String && accepted.Contains(value.GetString(), StringComparer.Ordinal);

    private static bool IsStringArrayOf(JsonElement value, string only) =>
        value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(item => IsString(item, only));

    private static bool IsTextFormat(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("type", out JsonElement type) && IsString(type, "text");
}
