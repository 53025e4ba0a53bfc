using System.Text;
using System.Text.Json;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// Reads the Responses API's <c>input</c>: a string (one user message), or a list of message items
/// (<c>{"role", "content"}</c>, with or without <c>"type": "message"</c>) whose content is a string or a list of
/// <c>input_text</c> / <c>output_text</c> parts. Other items (function calls and their output, item references,
/// reasoning) and other parts (images, files, audio) are refused, naming the item.
/// </summary>
internal static class ResponseInput
{
    public static ServiceError? Parse(JsonElement input, List<ConversationMessage> messages)
    {
        if (input.ValueKind == JsonValueKind.String)
        {
            messages.Add(new ConversationMessage(MessageRole.User, input.GetString()!));
            return null;
        }

        if (input.ValueKind != JsonValueKind.Array)
        {
            return RequestFields.WrongType("input", "a string or an array of messages", input);
        }

        int index = 0;
        foreach (JsonElement item in input.EnumerateArray())
        {
            if (ParseItem(item, $"input[{index}]", messages) is { } error)
            {
                return error;
            }

            index++;
        }

        return null;
    }

    private static ServiceError? ParseItem(JsonElement item, string at, List<ConversationMessage> messages)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return RequestFields.WrongType(at, "a message such as {\"role\": \"user\", \"content\": \"...\"}", item);
        }

        if (RequestFields.OptionalString(item, "type", out string? type) is { } typeError)
        {
            return typeError with { Param = at + ".type", Message = typeError.Message.Replace("'type'", $"{at}.type", StringComparison.Ordinal) };
        }

        if (type is not null and not "message")
        {
            return ServiceError.BadRequest(
                "unsupported_content",
                $"{at} is of type '{RequestFields.Shown(type)}': only messages with text are supported (no tool calls, tool output, item references or reasoning items).",
                at + ".type");
        }

        if (!item.TryGetProperty("role", out JsonElement roleElement) || roleElement.ValueKind == JsonValueKind.Null)
        {
            return ServiceError.BadRequest("missing_role", $"{at}.role is required: user, system, developer or assistant.", at + ".role");
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
            return ServiceError.BadRequest("invalid_role", $"{at}.role '{RequestFields.Shown(role)}' is not supported: use user, system, developer or assistant.", at + ".role");
        }

        if (!item.TryGetProperty("content", out JsonElement content) || content.ValueKind == JsonValueKind.Null)
        {
            return ServiceError.BadRequest("missing_content", $"{at}.content is required.", at + ".content");
        }

        string text;
        if (content.ValueKind == JsonValueKind.String)
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
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("type", out JsonElement partType) || partType.ValueKind != JsonValueKind.String)
                {
                    return ServiceError.BadRequest("invalid_content", $"{partAt} must be an object such as {{\"type\": \"input_text\", \"text\": \"...\"}}.", partAt);
                }

                string kind = partType.GetString()!;
                if (kind is not ("input_text" or "output_text"))
                {
                    return ServiceError.BadRequest(
                        "unsupported_content",
                        $"{partAt} is of type '{RequestFields.Shown(kind)}': only input_text and output_text parts are supported.",
                        partAt + ".type");
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
            return RequestFields.WrongType(at + ".content", "a string or an array of input_text parts", content);
        }

        messages.Add(new ConversationMessage(parsed.Value, text));
        return null;
    }
}
