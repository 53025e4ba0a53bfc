using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Tests.Sources.Conformance;

/// <summary>Anthropic's Messages API source against the loopback server, which streams Anthropic's SSE bytes.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AnthropicMessagesSourceConformanceTests : SourceConformanceTests
{
    internal const string Key = "sk-ant-api03-conformance-0123456789abcdef";

    private protected override async Task<IConformanceBackend> StartAsync(params ConformanceScript[] scripts) =>
        new Backend(await OpenAITestServer.StartAsync(scripts.Select(Render).ToArray()));

    /// <summary>A source talking to <paramref name="endpoint"/> the way a generator built from options does.</summary>
    internal static AnthropicMessagesSource Source(Uri endpoint, int? thinkingBudgetTokens = null) => new(
        ProviderPipeline.Create(endpoint, Key, "x-api-key", httpClient: null, ("anthropic-version", AnthropicRequestWriter.ApiVersion)),
        thinkingBudgetTokens,
        new StreamingCodeGeneratorOptions().MaxEventSize,
        new SecretRedactor(Key),
        TimeProvider.System);

    private static Func<HttpContext, Task> Render(ConformanceScript script)
    {
        var builder = new AnthropicScript().MessageStart(inputTokens: ConformanceScript.InputTokens);
        if (script.Reasoning is not null)
        {
            builder.Thinking(script.Reasoning);
        }

        if (script.Pieces.Count > 0)
        {
            builder.Text([.. script.Pieces]);
        }

        return script.End switch
        {
            ConformanceScript.Ending.Complete => builder.Stop(outputTokens: script.Pieces.Count),
            ConformanceScript.Ending.Status => Respond.AnthropicError(script.Status, "api_error", script.Message!),
            ConformanceScript.Ending.Cut => builder.CutWhen(script.When!),
            ConformanceScript.Ending.ErrorEvent => builder.ErrorEvent("overloaded_error", script.Message!),
            ConformanceScript.Ending.RefuseUsage => Respond.AnthropicError(400, "invalid_request_error", script.Message!),
            _ => builder.Stall(),
        };
    }

    private sealed class Backend(OpenAITestServer server) : IConformanceBackend
    {
        public IChatUpdateSource Source { get; } = AnthropicMessagesSourceConformanceTests.Source(server.Endpoint);

        public bool AsksForUsage => false;

        public IReadOnlyList<SentAttempt> Sent => server.Requests.Select(r => new SentAttempt(Messages(r.Json), AskedForUsage: false)).ToList();

        public Task ClosedAsync(int index) => server.ClientDisconnected(index);

        /// <summary>A continuation is a prefill: the answer so far without its trailing whitespace, and no instruction.</summary>
        public IReadOnlyList<(string Role, string Content)> ContinuationTail(string answerSoFar) => [("assistant", answerSoFar.TrimEnd())];

        public ValueTask DisposeAsync() => server.DisposeAsync();

        private static List<(string, string)> Messages(JsonElement body)
        {
            var messages = new List<(string, string)>();
            if (body.TryGetProperty("system", out JsonElement system))
            {
                messages.Add(("system", system.GetString()!));
            }

            messages.AddRange(body.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)));
            return messages;
        }
    }
}
