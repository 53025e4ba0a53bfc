using System.Buffers;
using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>Writes the JSON body of a streaming chat completion request with <see cref="Utf8JsonWriter"/> (no reflection).</summary>
internal static class ChatRequestWriter
{
    /// <summary>The user turn that asks the model to carry on after a broken stream.</summary>
    public const string ContinuationInstruction =
        "Your previous answer was cut off. Continue it exactly where it stopped, starting with the very next character. " +
        "Do not repeat anything you already wrote, do not add any preamble, and keep the same formatting.";

    public static BinaryData Write(PreparedRequest request, bool includeUsage, string? continuationText)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, request.Model);
            writer.WriteStartArray("messages"u8);
            foreach (ConversationMessage message in request.Messages)
            {
                WriteMessage(writer, message.Role, message.Content);
            }

            if (continuationText is not null)
            {
                WriteMessage(writer, MessageRole.Assistant, continuationText);
                WriteMessage(writer, MessageRole.User, ContinuationInstruction);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("stream"u8, true);
            if (includeUsage)
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
