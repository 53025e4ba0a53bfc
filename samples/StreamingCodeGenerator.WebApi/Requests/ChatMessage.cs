using System.ComponentModel;
using System.Text;
using System.Text.Json;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>One message of a chat completion request, as OpenAI defines it (text only).</summary>
internal sealed record ChatMessage
{
    [Description("system, developer (read as system), user or assistant.")]
    public required string Role { get; init; }

    [Description("A string, or an array of parts of the form {\"type\": \"text\", \"text\": \"...\"}.")]
    public required JsonElement Content { get; init; }

    [Description("Accepted and ignored.")]
    public string? Name { get; init; }

    /// <summary>Reads message <paramref name="index"/> of the request.</summary>
    public static ServiceError? Parse(JsonElement item, int index, out ConversationMessage? message)
    {
        message = null;
        string at = $"messages[{index}]";
        if (item.ValueKind != JsonValueKind.Object)
        {
            return RequestFields.WrongType(at, "an object such as {\"role\": \"user\", \"content\": \"...\"}", item);
        }

        if (!item.TryGetProperty("role", out JsonElement roleElement) || roleElement.ValueKind == JsonValueKind.Null)
        {
            return ServiceError.BadRequest("missing_role", $"{at}.role is required: system, user or assistant.", at + ".role");
        }

        if (roleElement.ValueKind != JsonValueKind.String)
        {
            return RequestFields.WrongType(at + ".role", "a string", roleElement);
        }

        string role = roleElement.GetString()!;
        MessageRole? parsed = role switch
        {
            "system" or "developer" => MessageRole.System,
            "user" => MessageRole.User,
            "assistant" => MessageRole.Assistant,
            _ => null,
        };
        if (parsed is null)
        {
            return ServiceError.BadRequest(
                "invalid_role",
                $"{at}.role '{RequestFields.Shown(role)}' is not supported: use system (or developer), user or assistant. Tool and function messages are not.",
                at + ".role");
        }

        string? text;
        if (!item.TryGetProperty("content", out JsonElement content) || content.ValueKind == JsonValueKind.Null)
        {
            if (parsed != MessageRole.Assistant)
            {
                return ServiceError.BadRequest("missing_content", $"{at}.content is required.", at + ".content");
            }

            text = string.Empty;
        }
        else if (content.ValueKind == JsonValueKind.String)
        {
            text = content.GetString()!;
        }
        else if (content.ValueKind == JsonValueKind.Array)
        {
            var joined = new StringBuilder();
            int part = 0;
            foreach (JsonElement element in content.EnumerateArray())
            {
                string partAt = $"{at}.content[{part}]";
                if (element.ValueKind != JsonValueKind.Object
                    || !element.TryGetProperty("type", out JsonElement type)
                    || type.ValueKind != JsonValueKind.String)
                {
                    return ServiceError.BadRequest("invalid_content", $"{partAt} must be an object such as {{\"type\": \"text\", \"text\": \"...\"}}.", partAt);
                }

                if (type.GetString() != "text")
                {
                    return ServiceError.BadRequest("unsupported_content", $"{partAt} is of type '{RequestFields.Shown(type.GetString()!)}': only text parts are supported.", partAt);
                }

                if (!element.TryGetProperty("text", out JsonElement partText) || partText.ValueKind != JsonValueKind.String)
                {
                    return ServiceError.BadRequest("invalid_content", $"{partAt}.text must be a string.", partAt + ".text");
                }

                joined.Append(partText.GetString());
                part++;
            }

            text = joined.ToString();
        }
        else
        {
            return RequestFields.WrongType(at + ".content", "a string or an array of text parts", content);
        }

        message = new ConversationMessage(parsed.Value, text);
        return null;
    }
}
