using System.Buffers;
using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>
/// Writes the JSON body of a streamed request to Anthropic's Messages API (<c>POST {endpoint}/messages</c>) with
/// <see cref="Utf8JsonWriter"/> (no reflection).
/// </summary>
/// <remarks>
/// <para>
/// The system messages go into the top-level <c>system</c> (joined by a blank line, wherever they stand: the API has no
/// system role in <c>messages</c>); every other message is <c>{"role","content"}</c>. <c>max_tokens</c> is required by
/// the API, so a request without a limit gets <see cref="DefaultMaxTokens"/> for its model.
/// </para>
/// <para>
/// A continuation is a prefill: the answer so far is the last, assistant message, and Claude writes on from its last
/// character, so no instruction is needed and nothing is repeated. The API refuses a prefill that ends in whitespace,
/// so <see cref="Prefill"/> trims it: the continuation then starts with that whitespace (or a variant of it), which the
/// caller drops (<see cref="Prefill"/> says how). With extended thinking the API refuses any prefill, so the
/// continuation is an assistant message and a user message asking to carry on, as for Chat Completions.
/// </para>
/// </remarks>
internal static class AnthropicRequestWriter
{
    /// <summary>The path, relative to the endpoint (<c>https://api.anthropic.com/v1/</c>), requests are posted to.</summary>
    public const string RelativePath = "messages";

    /// <summary>The <c>anthropic-version</c> header every request carries.</summary>
    public const string ApiVersion = "2023-06-01";

    /// <summary>
    /// <c>max_tokens</c> when the request sets no limit (the API requires one), for <paramref name="model"/>: 16384 (room
    /// for a long source file; every Claude model since 3.7 allows at least 32000), 8192 for the Claude 3.5 models and
    /// 4096 for the Claude 3 models, which allow no more. Set MaxOutputTokens for more.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <returns>The limit.</returns>
    public static int DefaultMaxTokens(string model)
    {
        ReadOnlySpan<char> name = model.AsSpan(model.LastIndexOf('/') + 1);
        return name.StartsWith("claude-3-5", StringComparison.OrdinalIgnoreCase) ? 8192
            : name.StartsWith("claude-3-haiku", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("claude-3-opus", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("claude-3-sonnet", StringComparison.OrdinalIgnoreCase) ? 4096
            : LargeDefaultMaxTokens;
    }

    /// <summary>The default <c>max_tokens</c> of every model newer than Claude 3.5 (see <see cref="DefaultMaxTokens"/>).</summary>
    public const int LargeDefaultMaxTokens = 16384;

    /// <summary>
    /// Writes the body of one attempt. A continuation is a prefill of <see cref="ChatAttempt.ContinuationText"/> after the
    /// request's messages; with extended thinking (which refuses a prefill) it is the attempt's messages as
    /// <see cref="ChatAttempt.Continuation"/> built them (the answer so far, then <see cref="ChatAttempt.ContinuationInstruction"/>).
    /// </summary>
    /// <param name="attempt">The attempt.</param>
    /// <param name="thinkingBudgetTokens">The extended-thinking budget, or <see langword="null"/> for none.</param>
    /// <returns>The body.</returns>
    /// <exception cref="NotSupportedException">Extended thinking was asked for with a temperature.</exception>
    public static BinaryData Write(ChatAttempt attempt, int? thinkingBudgetTokens)
    {
        PreparedRequest request = attempt.Request;
        return thinkingBudgetTokens is not null
            ? Write(request.Model, attempt.Messages, request.Temperature, request.MaxOutputTokens, request.StopSequences, continuationText: null, thinkingBudgetTokens)
            : Write(request.Model, request.Messages, request.Temperature, request.MaxOutputTokens, request.StopSequences, attempt.ContinuationText, thinkingBudgetTokens: null);
    }

    /// <summary>Writes a request body.</summary>
    /// <param name="model">The model.</param>
    /// <param name="messages">The conversation, system messages included.</param>
    /// <param name="temperature">The sampling temperature, or <see langword="null"/> for the model's default.</param>
    /// <param name="maxOutputTokens"><c>max_tokens</c>, or <see langword="null"/> for <see cref="DefaultMaxTokens"/> of the model.</param>
    /// <param name="stopSequences"><c>stop_sequences</c>; empty for none.</param>
    /// <param name="continuationText">
    /// For a continuation, the answer so far, sent as a prefill (see the remarks); otherwise <see langword="null"/>. With
    /// extended thinking, pass the continuation's messages in <paramref name="messages"/> instead.
    /// </param>
    /// <param name="thinkingBudgetTokens">
    /// Turns on extended thinking with this budget (<c>thinking: {"type":"enabled","budget_tokens":N}</c>; at least
    /// 1024 and below <c>max_tokens</c>), so Claude streams its reasoning; <see langword="null"/> leaves it off.
    /// </param>
    /// <returns>The body.</returns>
    /// <exception cref="NotSupportedException">Extended thinking was asked for with a temperature: the API accepts neither together.</exception>
    public static BinaryData Write(
        string model,
        IReadOnlyList<ConversationMessage> messages,
        float? temperature,
        int? maxOutputTokens,
        IReadOnlyList<string> stopSequences,
        string? continuationText,
        int? thinkingBudgetTokens = null)
    {
        if (thinkingBudgetTokens is not null && temperature is not null)
        {
            throw new NotSupportedException("Anthropic's extended thinking cannot be combined with a temperature: leave Temperature unset.");
        }

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model"u8, model);
            writer.WriteNumber("max_tokens"u8, maxOutputTokens ?? DefaultMaxTokens(model));

            string? system = null;
            foreach (ConversationMessage message in messages)
            {
                if (message.Role == MessageRole.System)
                {
                    system = system is null ? message.Content : system + "\n\n" + message.Content;
                }
            }

            if (system is not null)
            {
                writer.WriteString("system"u8, system);
            }

            writer.WriteStartArray("messages"u8);
            foreach (ConversationMessage message in messages)
            {
                if (message.Role != MessageRole.System)
                {
                    WriteMessage(writer, message.Role, message.Content);
                }
            }

            if (continuationText is not null && Prefill(continuationText) is { Length: > 0 } prefill)
            {
                WriteMessage(writer, MessageRole.Assistant, prefill);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("stream"u8, true);
            if (temperature is float value)
            {
                writer.WriteNumber("temperature"u8, value);
            }

            if (stopSequences.Count > 0)
            {
                writer.WriteStartArray("stop_sequences"u8);
                foreach (string stop in stopSequences)
                {
                    writer.WriteStringValue(stop);
                }

                writer.WriteEndArray();
            }

            if (thinkingBudgetTokens is int budget)
            {
                writer.WriteStartObject("thinking"u8);
                writer.WriteString("type"u8, "enabled"u8);
                writer.WriteNumber("budget_tokens"u8, budget);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return new BinaryData(buffer.WrittenMemory);
    }

    /// <summary>
    /// The prefill a continuation sends for <paramref name="continuationText"/>: the text without its trailing whitespace
    /// (the API refuses a final assistant message that ends in whitespace). Claude continues from the prefill's last
    /// character, so the continuation's text may begin with whitespace the answer already has
    /// (<c>continuationText[prefill.Length..]</c>): drop the longest common prefix of the two before appending. An empty
    /// prefill (an answer of only whitespace) is not sent.
    /// </summary>
    /// <param name="continuationText">The answer so far.</param>
    /// <returns>The prefill.</returns>
    public static string Prefill(string continuationText) => continuationText.TrimEnd();

    private static void WriteMessage(Utf8JsonWriter writer, MessageRole role, string content)
    {
        writer.WriteStartObject();
        writer.WriteString("role"u8, role == MessageRole.Assistant ? "assistant"u8 : "user"u8);
        writer.WriteString("content"u8, content);
        writer.WriteEndObject();
    }
}
