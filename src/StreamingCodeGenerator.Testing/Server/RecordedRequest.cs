using System.Buffers;
using System.Text.Json;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// A request the server received, kept whole for assertions: method, path, query, headers and body, with accessors
/// for the parts of a chat completion request tests check most.
/// </summary>
public sealed class RecordedRequest
{
    private readonly Lazy<JsonElement> _json;
    private readonly Lazy<IReadOnlyList<RecordedMessage>> _messages;

    internal RecordedRequest(int index, string method, string path, string queryString, IReadOnlyDictionary<string, string> headers, string body)
    {
        Index = index;
        Method = method;
        Path = path;
        QueryString = queryString;
        Headers = headers;
        Body = body;
        _json = new Lazy<JsonElement>(ParseBody);
        _messages = new Lazy<IReadOnlyList<RecordedMessage>>(ReadMessages);
    }

    /// <summary>Gets the request's 0-based position in arrival order (the index scripts and <see cref="OpenAITestServer.ClientDisconnected"/> use).</summary>
    public int Index { get; }

    /// <summary>Gets the HTTP method, for example <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the path, for example <c>/v1/chat/completions</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the query string including its <c>?</c> (for example <c>?api-version=2024-10-21</c>), or an empty string.</summary>
    public string QueryString { get; }

    /// <summary>Gets the headers, looked up case-insensitively; a header sent more than once has its values joined with <c>", "</c>.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Gets the body as UTF-8 text (empty when there was none).</summary>
    public string Body { get; }

    /// <summary>Gets the body parsed as JSON.</summary>
    /// <exception cref="InvalidOperationException">The body is not JSON; the message quotes its start.</exception>
    public JsonElement Json => _json.Value;

    /// <summary>Gets the <c>model</c> the request asked for, or <see langword="null"/> when the body has none.</summary>
    public string? Model => TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null;

    /// <summary>Gets the request's <c>stream</c> flag, or <see langword="null"/> when the body does not set it.</summary>
    public bool? Stream => TryGetProperty("stream", out JsonElement stream) && stream.ValueKind is JsonValueKind.True or JsonValueKind.False ? stream.GetBoolean() : null;

    /// <summary>
    /// Gets the request's <c>messages</c> (Chat Completions, Anthropic's Messages API), or else the items of its
    /// <c>input</c> (OpenAI's Responses API; a string <c>input</c> is one user message), in order; empty when the body has
    /// neither.
    /// </summary>
    public IReadOnlyList<RecordedMessage> Messages => _messages.Value;

    /// <summary>
    /// Gets the top-level <c>system</c> of a request to Anthropic's Messages API (where its system prompt goes), a string
    /// or the text of its blocks joined; <see langword="null"/> when the body has none. A Chat Completions system prompt
    /// is a message: see <see cref="Messages"/>.
    /// </summary>
    public string? SystemPrompt => TryGetProperty("system", out JsonElement system) ? RecordedMessage.TextOf(system) : null;

    /// <summary>Gets the <c>instructions</c> of a request to OpenAI's Responses API, or <see langword="null"/> when the body has none.</summary>
    public string? Instructions => TryGetProperty("instructions", out JsonElement instructions) && instructions.ValueKind == JsonValueKind.String ? instructions.GetString() : null;

    /// <summary>Gets the <c>anthropic-version</c> header a request to Anthropic's Messages API must carry, or <see langword="null"/>.</summary>
    public string? AnthropicVersion => GetHeader("anthropic-version");

    /// <summary>Gets the <c>Authorization</c> header as sent, or <see langword="null"/>.</summary>
    public string? Authorization => GetHeader("Authorization");

    /// <summary>
    /// Gets the API key the request carried: the token of an <c>Authorization: Bearer</c> header, else the value of an
    /// <c>api-key</c> header (Azure OpenAI), else of an <c>x-api-key</c> header (Anthropic); <see langword="null"/> when
    /// it carried none. Compare it in assertions; never print it.
    /// </summary>
    public string? ApiKey
    {
        get
        {
            string? authorization = Authorization;
            if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return authorization["Bearer ".Length..].Trim();
            }

            return GetHeader("api-key") ?? GetHeader("x-api-key");
        }
    }

    /// <summary>Gets a header's value, or <see langword="null"/> when the request did not have it.</summary>
    /// <param name="name">The header name, in any case.</param>
    /// <returns>The value, values joined with <c>", "</c> when sent more than once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public string? GetHeader(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Headers.TryGetValue(name, out string? value) ? value : null;
    }

    /// <inheritdoc />
    public override string ToString() => $"#{Index} {Method} {Path}{QueryString}";

    private bool TryGetProperty(string name, out JsonElement value)
    {
        value = default;
        return Body.Length > 0 && Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out value);
    }

    private JsonElement ParseBody()
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            string start = Body.Length > 200 ? Body[..200] + "…" : Body;
            throw new InvalidOperationException($"Request {Index}'s body is not JSON: \"{start}\".", ex);
        }
    }

    private IReadOnlyList<RecordedMessage> ReadMessages()
    {
        if (!TryGetProperty("messages", out JsonElement messages) || messages.ValueKind != JsonValueKind.Array)
        {
            if (!TryGetProperty("input", out messages))
            {
                return [];
            }

            if (messages.ValueKind == JsonValueKind.String)
            {
                // Written with a writer, not JsonSerializer.Serialize(string): no reflection, so this works trimmed and native.
                var json = new ArrayBufferWriter<byte>();
                using (var writer = new Utf8JsonWriter(json))
                {
                    writer.WriteStartObject();
                    writer.WriteString("role", "user");
                    writer.WriteString("content", messages.GetString());
                    writer.WriteEndObject();
                }

                using var user = JsonDocument.Parse(json.WrittenMemory);
                return [new RecordedMessage(user.RootElement.Clone())];
            }

            if (messages.ValueKind != JsonValueKind.Array)
            {
                return [];
            }
        }

        var list = new List<RecordedMessage>(messages.GetArrayLength());
        foreach (JsonElement message in messages.EnumerateArray())
        {
            list.Add(new RecordedMessage(message));
        }

        return list;
    }
}
