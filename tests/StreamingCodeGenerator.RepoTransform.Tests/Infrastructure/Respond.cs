using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

/// <summary>The scripts these tests use, built on the repository's one test server (StreamingCodeGenerator.Testing).</summary>
public static class Respond
{
    /// <summary>An answer streamed in pieces of <paramref name="pieceLength"/> characters, one SSE event each, then stop.</summary>
    public static Func<HttpContext, Task> Answer(string answer, int pieceLength = 7, string finishReason = "stop") =>
        new SseScript().Role().Content(Pieces(answer, pieceLength)).Finish(finishReason).Usage(10, 10).Done();

    /// <summary>
    /// Streams <paramref name="before"/>, then waits for <paramref name="gate"/> (the test opens it once it has seen
    /// what it expects), then streams <paramref name="after"/>.
    /// </summary>
    public static Func<HttpContext, Task> Gated(string before, Task gate, string after) =>
        new SseScript().Role().Content(Pieces(before, 5)).WaitFor(gate).Content(Pieces(after, 5)).Finish().Usage(10, 10).Done();

    public static Func<HttpContext, Task> Error(int status, string message) =>
        StreamingCodeGeneration.Testing.Respond.Error(status, message, "invalid_request_error");

    public static string[] Pieces(string text, int length)
    {
        var pieces = new List<string>();
        for (int i = 0; i < text.Length; i += length)
        {
            pieces.Add(text.Substring(i, Math.Min(length, text.Length - i)));
        }

        return [.. pieces];
    }

    /// <summary>The user message of request <paramref name="index"/> (the last message of its conversation).</summary>
    public static string UserMessage(this OpenAITestServer server, int index) => server.Requests[index].Messages[^1].Content!;
}
