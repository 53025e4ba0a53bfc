using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Tests.Sources.Conformance;

/// <summary>The OpenAI-compatible source against the loopback server, which streams real SSE bytes.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class OpenAIChatSourceConformanceTests : SourceConformanceTests
{
    private protected override async Task<IConformanceBackend> StartAsync(params ConformanceScript[] scripts) =>
        new Backend(await OpenAITestServer.StartAsync(scripts.Select(Render).ToArray()));

    private static Func<HttpContext, Task> Render(ConformanceScript script)
    {
        IEnumerable<string> content = script.Pieces.Select(SseEvents.Content);
        if (script.Reasoning is not null)
        {
            content = content.Prepend(SseEvents.Data(
                "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":null,\"reasoning_content\":" + JsonSerializer.Serialize(script.Reasoning) + "}}]}"));
        }

        return script.End switch
        {
            ConformanceScript.Ending.Complete => Respond.Sse([SseEvents.Role(), .. content, SseEvents.Finish(), SseEvents.Usage(ConformanceScript.InputTokens, script.Pieces.Count), SseEvents.Done]),
            ConformanceScript.Ending.Status => Respond.Error(script.Status, script.Message!),
            ConformanceScript.Ending.Cut => Respond.Sse(content, Respond.CutWhen(script.When!)),
            ConformanceScript.Ending.ErrorEvent => Respond.Sse([.. content, SseEvents.ErrorEvent(script.Message!)]),
            ConformanceScript.Ending.RefuseUsage => Respond.Error(400, "Unrecognized request argument supplied: stream_options", "invalid_request_error", param: "stream_options"),
            _ => Respond.Sse(content, Respond.Stall),
        };
    }

    private sealed class Backend(OpenAITestServer server) : IConformanceBackend
    {
        public IChatUpdateSource Source { get; } = new OpenAIChatSource(
            new OpenAI.Chat.ChatClient("gpt-4o-mini", new System.ClientModel.ApiKeyCredential("sk-test"), new OpenAI.OpenAIClientOptions { Endpoint = server.Endpoint }),
            server.Endpoint,
            "openai",
            new StreamingCodeGeneratorOptions().MaxEventSize,
            SecretRedactor.Default,
            TimeProvider.System);

        public bool AsksForUsage => true;

        public IReadOnlyList<SentAttempt> Sent => server.Requests.Select(r => new SentAttempt(
            r.Json.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList(),
            r.Json.TryGetProperty("stream_options", out JsonElement _))).ToList();

        public Task ClosedAsync(int index) => server.ClientDisconnected(index);

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
