using System.Text.Json;

namespace StreamingCodeGeneration.Testing;

/// <summary>One entry of a recorded request's <c>messages</c> array.</summary>
public sealed class RecordedMessage
{
    internal RecordedMessage(JsonElement json)
    {
        Json = json;
        Role = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("role", out JsonElement role) && role.ValueKind == JsonValueKind.String
            ? role.GetString() ?? string.Empty
            : string.Empty;
        Content = ReadContent(json);
    }

    /// <summary>Gets the message's <c>role</c> (<c>system</c>, <c>developer</c>, <c>user</c>, <c>assistant</c>…), or an empty string when it has none.</summary>
    public string Role { get; }

    /// <summary>
    /// Gets the message's text: its <c>content</c> string, or the <c>text</c> of every part of a content-part array
    /// joined together; <see langword="null"/> when it has no text.
    /// </summary>
    public string? Content { get; }

    /// <summary>Gets the message as sent.</summary>
    public JsonElement Json { get; }

    /// <inheritdoc />
    public override string ToString() => Role + ": " + Content;

    private static string? ReadContent(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty("content", out JsonElement content) ? TextOf(content) : null;

    /// <summary>A string, or the <c>text</c> of every part of a part array joined; <see langword="null"/> for anything else.</summary>
    internal static string? TextOf(JsonElement content)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var text = new System.Text.StringBuilder();
        foreach (JsonElement part in content.EnumerateArray())
        {
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out JsonElement value) && value.ValueKind == JsonValueKind.String)
            {
                text.Append(value.GetString());
            }
        }

        return text.ToString();
    }
}
