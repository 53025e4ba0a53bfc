using System.Buffers;
using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>
/// Writes the JSON body of a streamed request to OpenAI's Responses API (<c>POST {endpoint}/responses</c>) with
/// <see cref="Utf8JsonWriter"/> (no reflection).
/// </summary>
/// <remarks>
/// The system messages that open the conversation become <c>instructions</c> (joined by a blank line); a system message
/// later in the conversation becomes a <c>developer</c> item where it stands. Every other message is an input item
/// <c>{"role","content"}</c>. The body asks for <c>stream: true</c> and <c>store: false</c> (nothing is kept on
/// OpenAI's side: the library never refers back to a stored response). Usage always comes with the terminal event.
/// The API has no stop sequences: a request with some is refused here rather than silently changed.
/// </remarks>
internal static class ResponsesRequestWriter
{
    /// <summary>The path, relative to the endpoint (<c>https://api.openai.com/v1/</c>), requests are posted to.</summary>
    public const string RelativePath = "responses";

    /// <summary>
    /// Writes the body of one attempt: its messages (for a continuation, <see cref="ChatAttempt.Continuation"/> has added
    /// the answer so far and <see cref="ChatAttempt.ContinuationInstruction"/>) and the request's settings.
    /// </summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="reasoningSummary">See <see cref="Write(string, IReadOnlyList{ConversationMessage}, float?, int?, IReadOnlyList{string}, string?)"/>.</param>
    /// <returns>The body.</returns>
    /// <exception cref="NotSupportedException">The request has stop sequences.</exception>
    public static BinaryData Write(ChatAttempt attempt, string? reasoningSummary)
    {
        PreparedRequest request = attempt.Request;
        return Write(request.Model, attempt.Messages, request.Temperature, request.MaxOutputTokens, request.StopSequences, reasoningSummary);
    }

    /// <summary>Writes a request body.</summary>
    /// <param name="model">The model.</param>
    /// <param name="messages">The conversation, system messages included.</param>
    /// <param name="temperature">The sampling temperature, or <see langword="null"/> for the model's default.</param>
    /// <param name="maxOutputTokens"><c>max_output_tokens</c> (reasoning included; OpenAI requires at least 16), or <see langword="null"/> for none.</param>
    /// <param name="stopSequences">Must be empty: the Responses API has no stop sequences.</param>
    /// <param name="reasoningSummary">
    /// <c>reasoning.summary</c> (<c>auto</c>, <c>concise</c>, <c>detailed</c>) for models that reason (o-series, GPT-5,
    /// codex): without it they stream no reasoning at all. <see langword="null"/> leaves it out, which other models require.
    /// </param>
    /// <returns>The body.</returns>
    /// <exception cref="NotSupportedException"><paramref name="stopSequences"/> is not empty.</exception>
    public static BinaryData Write(
        string model,
        IReadOnlyList<ConversationMessage> messages,
        float? temperature,
        int? maxOutputTokens,
        IReadOnlyList<string> stopSequences,
        string? reasoningSummary = null)
    {
        if (stopSequences.Count > 0)
        {
            throw new NotSupportedException(
                "OpenAI's Responses API has no stop sequences: remove StopSequences from the request, or use a Chat Completions endpoint.");
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, model);

            int first = 0;
            string? instructions = null;
            while (first < messages.Count && messages[first].Role == MessageRole.System)
            {
                instructions = instructions is null ? messages[first].Content : instructions + "\n\n" + messages[first].Content;
                first++;
            }

            if (instructions is not null)
            {
                writer.WriteString("instructions"u8, instructions);
            }

            writer.WriteStartArray("input"u8);
            for (int i = first; i < messages.Count; i++)
            {
                WriteItem(writer, messages[i].Role, messages[i].Content);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("stream"u8, true);
            writer.WriteBoolean("store"u8, false);
            if (temperature is float value)
            {
                writer.WriteNumber("temperature"u8, value);
            }

            if (maxOutputTokens is int max)
            {
                writer.WriteNumber("max_output_tokens"u8, max);
            }

            if (reasoningSummary is not null)
            {
                writer.WriteStartObject("reasoning"u8);
                writer.WriteString("summary"u8, reasoningSummary);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return new BinaryData(buffer.WrittenMemory);
    }

    private static void WriteItem(Utf8JsonWriter writer, MessageRole role, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, role switch
        {
            MessageRole.System => "developer"u8,
            MessageRole.Assistant => "assistant"u8,
            _ => "user"u8,
        });
        writer.WriteString("content"u8, content);
        writer.WriteEndObject();
    }
}
