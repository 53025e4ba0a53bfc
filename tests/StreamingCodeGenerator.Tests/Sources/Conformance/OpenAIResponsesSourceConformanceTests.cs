using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Tests.Sources.Conformance;

/// <summary>OpenAI's Responses API source against the loopback server, which streams the Responses API's SSE bytes.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class OpenAIResponsesSourceConformanceTests : SourceConformanceTests
{
    internal const string Key = "sk-proj-conformance-0123456789abcdef";

    private protected override async Task<IConformanceBackend> StartAsync(params ConformanceScript[] scripts) =>
        new Backend(await OpenAITestServer.StartAsync(scripts.Select(Render).ToArray()));

    /// <summary>A source talking to <paramref name="endpoint"/> the way a generator built from options does.</summary>
    internal static OpenAIResponsesSource Source(Uri endpoint, bool includeReasoning = false) => new(
        ProviderPipeline.Create(endpoint, Key, keyHeader: null, httpClient: null),
        includeReasoning,
        new StreamingCodeGeneratorOptions().MaxEventSize,
        new SecretRedactor(Key),
        TimeProvider.System);

    private static Func<HttpContext, Task> Render(ConformanceScript script)
    {
        var builder = new ResponsesScript().Created();
        if (script.Reasoning is not null)
        {
            builder.ReasoningSummary(script.Reasoning);
        }

        if (script.Pieces.Count > 0)
        {
            builder.Text([.. script.Pieces]);
        }

        return script.End switch
        {
            ConformanceScript.Ending.Complete => builder.Completed(inputTokens: ConformanceScript.InputTokens, outputTokens: script.Pieces.Count),
            ConformanceScript.Ending.Status => Respond.Error(script.Status, script.Message!),
            ConformanceScript.Ending.Cut => builder.CutWhen(script.When!),
            ConformanceScript.Ending.ErrorEvent => builder.ErrorEvent("server_error", script.Message!).Failed("server_error", script.Message!),
            ConformanceScript.Ending.RefuseUsage => Respond.Error(400, script.Message!, "invalid_request_error"),
            _ => builder.Stall(),
        };
    }

    private sealed class Backend(OpenAITestServer server) : IConformanceBackend
    {
        public IChatUpdateSource Source { get; } = OpenAIResponsesSourceConformanceTests.Source(server.Endpoint);

        public bool AsksForUsage => false;

        public IReadOnlyList<SentAttempt> Sent => server.Requests.Select(r => new SentAttempt(Messages(r.Json), AskedForUsage: false)).ToList();

        public Task ClosedAsync(int index) => server.ClientDisconnected(index);

        public ValueTask DisposeAsync() => server.DisposeAsync();

        private static List<(string, string)> Messages(JsonElement body)
        {
            var messages = new List<(string, string)>();
            if (body.TryGetProperty("instructions", out JsonElement instructions))
            {
                messages.Add(("system", instructions.GetString()!));
            }

            messages.AddRange(body.GetProperty("input").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)));
            return messages;
        }
    }
}
