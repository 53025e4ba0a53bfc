using System.Text;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// The JSON of <c>chat.completion.chunk</c> objects, compact and with a fixed property order, so scripts produce exactly
/// the same bytes every time. Only the event data: framing (<c>data: </c>, line endings) is the caller's.
/// </summary>
internal sealed class ChunkJson(string id, string model)
{
    public static readonly ChunkJson Default = new(SseEvents.Id, SseEvents.Model);

    /// <summary>Azure's per-category filter verdicts, as sent on every prompt and choice.</summary>
    private const string SafeFilters =
        "{\"hate\":{\"filtered\":false,\"severity\":\"safe\"},\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"}," +
        "\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";

    private const string FilteredFilters =
        "{\"hate\":{\"filtered\":true,\"severity\":\"high\"},\"self_harm\":{\"filtered\":false,\"severity\":\"safe\"}," +
        "\"sexual\":{\"filtered\":false,\"severity\":\"safe\"},\"violence\":{\"filtered\":false,\"severity\":\"safe\"}}";

    private readonly string _head = "{\"id\":" + JsonText.Quote(id) + ",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":" + JsonText.Quote(model) + ",";

    public string Role(string role) => Choice("{\"role\":" + JsonText.Quote(role) + ",\"content\":\"\"}");

    public string Content(string text) => Choice("{\"content\":" + JsonText.Quote(text) + "}");

    public string Refusal(string text) => Choice("{\"refusal\":" + JsonText.Quote(text) + "}");

    public string Reasoning(string text, ReasoningField field) => field == ReasoningField.Reasoning
        ? Choice("{\"content\":\"\",\"reasoning\":" + JsonText.Quote(text) + "}")
        : Choice("{\"content\":null,\"reasoning_content\":" + JsonText.Quote(text) + "}");

    public string ContentParts(IEnumerable<string> texts)
    {
        var parts = new StringBuilder("{\"content\":[");
        bool first = true;
        foreach (string text in texts)
        {
            parts.Append(first ? string.Empty : ",").Append("{\"type\":\"text\",\"text\":").Append(JsonText.Quote(text)).Append('}');
            first = false;
        }

        return Choice(parts.Append("]}").ToString());
    }

    public string MistralThinking(string thinking, string? text)
    {
        string parts = "{\"type\":\"thinking\",\"thinking\":[{\"type\":\"text\",\"text\":" + JsonText.Quote(thinking) + "}]}";
        if (!string.IsNullOrEmpty(text))
        {
            parts += ",{\"type\":\"text\",\"text\":" + JsonText.Quote(text) + "}";
        }

        return Choice("{\"content\":[" + parts + "]}");
    }

    public string Finish(string reason) => _head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":" + JsonText.Quote(reason) + "}]}";

    public string Usage(int prompt, int completion) => _head + "\"choices\":[],\"usage\":" + UsageObject(prompt, completion) + "}";

    public string GroqUsage(int prompt, int completion, string? finishReason) =>
        _head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":" + JsonText.Quote(finishReason) + "}],"
        + "\"x_groq\":{\"id\":\"req_test\",\"usage\":" + UsageObject(prompt, completion) + "}}";

    public static string AzurePromptFilterResults(bool filtered) =>
        "{\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":[{\"prompt_index\":0,\"content_filter_results\":"
        + (filtered ? FilteredFilters : SafeFilters) + "}]}";

    public string AzureContent(string text, bool filtered) =>
        _head + "\"choices\":[{\"content_filter_results\":" + (filtered ? FilteredFilters : SafeFilters)
        + ",\"delta\":{\"content\":" + JsonText.Quote(text) + "},\"finish_reason\":null,\"index\":0}]}";

    public static string Error(string message, string? type, string? code) =>
        "{\"error\":{\"message\":" + JsonText.Quote(message) + ",\"type\":" + JsonText.Quote(type) + ",\"code\":" + JsonText.Quote(code) + "}}";

    public static string ErrorBody(string message, string? type, string? code, string? param) =>
        "{\"error\":{\"message\":" + JsonText.Quote(message) + ",\"type\":" + JsonText.Quote(type)
        + ",\"param\":" + JsonText.Quote(param) + ",\"code\":" + JsonText.Quote(code) + "}}";

    public string Completion(string? content, string? finishReason, int prompt, int completion) =>
        "{\"id\":" + JsonText.Quote(id) + ",\"object\":\"chat.completion\",\"created\":1,\"model\":" + JsonText.Quote(model)
        + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + JsonText.Quote(content) + "},\"finish_reason\":"
        + JsonText.Quote(finishReason) + "}],\"usage\":" + UsageObject(prompt, completion) + "}";

    private static string UsageObject(int prompt, int completion) =>
        "{\"prompt_tokens\":" + JsonText.Number(prompt) + ",\"completion_tokens\":" + JsonText.Number(completion)
        + ",\"total_tokens\":" + JsonText.Number(prompt + completion) + "}";

    private string Choice(string delta) => _head + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}";
}
