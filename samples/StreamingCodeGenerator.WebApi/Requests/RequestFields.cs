using System.Globalization;
using System.Text.Json;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>Reads typed fields from a JSON object, with one clear message per wrong type or value.</summary>
internal static class RequestFields
{
    /// <summary>Reads an optional string; JSON null counts as absent.</summary>
    public static ServiceError? OptionalString(JsonElement body, string name, out string? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return WrongType(name, "a string", element);
        }

        value = element.GetString();
        return null;
    }

    /// <summary>Reads an optional boolean; JSON null counts as absent.</summary>
    public static ServiceError? OptionalBoolean(JsonElement body, string name, out bool? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return WrongType(name, "true or false", element);
        }

        value = element.GetBoolean();
        return null;
    }

    /// <summary>Reads an optional number from <paramref name="min"/> to <paramref name="max"/>; JSON null counts as absent.</summary>
    public static ServiceError? OptionalNumber(JsonElement body, string name, double min, double max, out double? value)
    {
        value = null;
        if (!body.TryGetProperty(name, out JsonElement element) || element.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out double number) || number < min || number > max)
        {
            return ServiceError.BadRequest(
                "invalid_" + name,
                $"'{name}' must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}.",
                name);
        }

        value = number;
        return null;
    }

    /// <summary>Checks a prompt: present, not empty, within the limit.</summary>
    public static ServiceError? CheckPrompt(string name, string? prompt, int maxCharacters)
    {
        if (prompt is null)
        {
            return ServiceError.BadRequest("missing_prompt", $"'{name}' is required: the task for the model, for example \"Write a bubble sort in Python\".", name);
        }

        if (string.IsNullOrWhiteSpace(prompt))
        {
            return ServiceError.BadRequest("empty_prompt", $"'{name}' must not be empty.", name);
        }

        if (prompt.Length > maxCharacters)
        {
            return ServiceError.BadRequest(
                "prompt_too_long",
                $"'{name}' is {prompt.Length.ToString("N0", CultureInfo.InvariantCulture)} characters; the limit is {maxCharacters.ToString("N0", CultureInfo.InvariantCulture)}.",
                name);
        }

        return null;
    }

    /// <summary>Checks a language name: short, letters and a few symbols (it goes into the system prompt).</summary>
    public static ServiceError? CheckLanguage(string name, string? language)
    {
        if (language is null)
        {
            return null;
        }

        if (language.Length is 0 or > 40 || !language.All(c => char.IsLetterOrDigit(c) || c is '#' or '+' or '-' or '.' or ' ' or '_' or '/'))
        {
            return ServiceError.BadRequest("invalid_language", $"'{name}' must be a language name such as python, C# or TypeScript (at most 40 characters).", name);
        }

        return null;
    }

    /// <summary>A caller's value as an error message repeats it: at most 40 characters, so a message never echoes a whole body.</summary>
    public static string Shown(string value) => value.Length <= 40 ? value : value[..40] + "…";

    public static ServiceError WrongType(string name, string expected, JsonElement actual) =>
        ServiceError.BadRequest("invalid_type", $"'{name}' must be {expected}, not {JsonBody.Describe(actual)}.", name);
}
