using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

/// <summary>Server scripts that write real SSE bytes, as OpenAI-compatible servers send them.</summary>
public static class Respond
{
    private const string Head = "{\"id\":\"chatcmpl-test\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\",";

    /// <summary>An answer streamed in pieces of <paramref name="pieceLength"/> characters, one SSE event each, then stop.</summary>
    public static Func<HttpContext, Task> Answer(string answer, int pieceLength = 7, string finishReason = "stop") =>
        Stream(Pieces(answer, pieceLength), gate: null, after: [], finishReason);

    /// <summary>
    /// Streams <paramref name="before"/>, then waits for <paramref name="gate"/> (the test opens it once it has seen
    /// what it expects), then streams <paramref name="after"/>.
    /// </summary>
    public static Func<HttpContext, Task> Gated(string before, Task gate, string after) =>
        Stream(Pieces(before, 5), gate, Pieces(after, 5), "stop");

    public static Func<HttpContext, Task> Error(int status, string message) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{\"error\":{\"message\":" + JsonSerializer.Serialize(message) + ",\"type\":\"invalid_request_error\",\"code\":null}}");
    };

    public static string[] Pieces(string text, int length)
    {
        var pieces = new List<string>();
        for (int i = 0; i < text.Length; i += length)
        {
            pieces.Add(text.Substring(i, Math.Min(length, text.Length - i)));
        }

        return [.. pieces];
    }

    private static Func<HttpContext, Task> Stream(string[] before, Task? gate, string[] after, string finishReason) => async context =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync(context.RequestAborted);
        await WriteAsync(context, Head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}");
        foreach (string piece in before)
        {
            await WriteContentAsync(context, piece);
        }

        if (gate is not null)
        {
            await gate.WaitAsync(context.RequestAborted);
        }

        foreach (string piece in after)
        {
            await WriteContentAsync(context, piece);
        }

        await WriteAsync(context, Head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"" + finishReason + "\"}]}");
        await WriteAsync(context, Head + "\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":10,\"total_tokens\":20}}");
        await context.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    };

    private static Task WriteContentAsync(HttpContext context, string text) =>
        WriteAsync(context, Head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":" + JsonSerializer.Serialize(text) + "},\"finish_reason\":null}]}");

    private static async Task WriteAsync(HttpContext context, string json)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("data: " + json + "\n\n"), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }
}
