using System.Buffers;
using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>Writes the JSON body of a streaming chat completion request with <see cref="Utf8JsonWriter"/> (no reflection).</summary>
internal static class ChatRequestWriter
{
    /// <summary>The body of one attempt: its messages, <c>stream: true</c>, usage when asked for, and the request's settings.</summary>
    public static BinaryData Write(ChatAttempt attempt)
    {
        PreparedRequest request = attempt.Request;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, request.Model);
            writer.WriteStartArray("messages"u8);
            foreach (ConversationMessage message in attempt.Messages)
            {
                WriteMessage(writer, message.Role, message.Content);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("stream"u8, true);
            if (attempt.IncludeUsage)
            {
                writer.WriteStartObject("stream_options"u8);
                writer.WriteBoolean("include_usage"u8, true);
                writer.WriteEndObject();
            }

            if (request.Temperature is float temperature)
            {
                writer.WriteNumber("temperature"u8, temperature);
            }

            if (request.MaxOutputTokens is int maxTokens)
            {
                // OpenAI and Azure deprecate max_tokens (reasoning models reject it); other servers know only max_tokens.
                writer.WriteNumber(request.UseMaxCompletionTokens ? "max_completion_tokens"u8 : "max_tokens"u8, maxTokens);
            }

            if (request.StopSequences.Count > 0)
            {
                writer.WriteStartArray("stop"u8);
                foreach (string stop in request.StopSequences)
                {
                    writer.WriteStringValue(stop);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        return new BinaryData(buffer.WrittenMemory);
    }

    private static void WriteMessage(Utf8JsonWriter writer, MessageRole role, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, role switch
        {
            MessageRole.System => "system"u8,
            MessageRole.Assistant => "assistant"u8,
            _ => "user"u8,
        });
        writer.WriteString("content"u8, content);
        writer.WriteEndObject();
    }
}
