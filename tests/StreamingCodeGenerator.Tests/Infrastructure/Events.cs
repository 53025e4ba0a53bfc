using System.Text.Json;

namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>SSE events as OpenAI-compatible servers send them.</summary>
public static class Events
{
    public const string Id = "chatcmpl-test";
    public const string Model = "gpt-4o-mini-2024-07-18";
    public const string Done = "data: [DONE]\n\n";

    private const string Head = "{\"id\":\"" + Id + "\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"" + Model + "\",";

    public static string Data(string json) => "data: " + json + "\n\n";

    public static string Role() => Data(Head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");

    public static string Content(string text) => Data(Head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + JsonSerializer.Serialize(text) + "},\"finish_reason\":null}]}");

    public static string Finish(string reason = "stop") => Data(Head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":" + JsonSerializer.Serialize(reason) + "}]}");

    public static string Usage(int prompt, int completion) =>
        Data(Head + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion + ",\"total_tokens\":" + (prompt + completion) + "}}");

    public static string ErrorEvent(string message, string type = "server_error") =>
        Data("{\"error\":{\"message\":" + JsonSerializer.Serialize(message) + ",\"type\":\"" + type + "\",\"code\":null}}");

    public static string ErrorJson(string message, string? type = null, string? code = null, string? param = null) =>
        "{\"error\":{\"message\":" + JsonSerializer.Serialize(message) + ",\"type\":" + JsonSerializer.Serialize(type)
        + ",\"param\":" + JsonSerializer.Serialize(param) + ",\"code\":" + JsonSerializer.Serialize(code) + "}}";

    public static string[] StandardAnswer(params string[] contents)
    {
        var events = new List<string> { Role() };
        events.AddRange(contents.Select(Content));
        events.Add(Finish());
        events.Add(Usage(12, contents.Length));
        events.Add(Done);
        return events.ToArray();
    }
}
