using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Tests.Sources.Conformance;

/// <summary>
/// The one-file provider (<see cref="JsonLinesChatSource"/>) against the loopback server speaking its JSON-lines
/// protocol over real HTTP, plus what only that provider has: a 529 "overloaded" that is worth retrying.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class JsonLinesChatSourceConformanceTests : SourceConformanceTests
{
    private static readonly HttpClient Http = new() { Timeout = Timeout.InfiniteTimeSpan };

    [Test]
    public async Task ProviderSpecificStatus_529Overloaded_IsRetried()
    {
        await using IConformanceBackend backend = await StartAsync(ConformanceScript.Error(529, "overloaded"), ConformanceScript.Answer("ok"));
        var options = new StreamingCodeGeneratorOptions { Model = "m", MaxRetries = 1, RetryBaseDelay = TimeSpan.Zero, RetryMaxDelay = TimeSpan.Zero };
        CodeGenerationStream stream = StreamingCodeGenerator.Create(GeneratorConnection.Source(backend.Source), options).GenerateAsync("x");

        (string text, _) = await Infrastructure.TestGenerators.CollectAsync(stream);

        text.Should().Be("ok");
        stream.Stats.Attempts.Should().Be(2);
        stream.Stats.Usage!.CachedInputTokenCount.Should().Be(3, "the provider's cached-token count travels through");
        stream.Stats.Usage.ReasoningTokenCount.Should().Be(2);
    }

    private protected override async Task<IConformanceBackend> StartAsync(params ConformanceScript[] scripts) =>
        new Backend(await OpenAITestServer.StartAsync(scripts.Select(Render).ToArray()));

    private static Func<HttpContext, Task> Render(ConformanceScript script) => async context =>
    {
        HttpResponse response = context.Response;
        if (script.End is ConformanceScript.Ending.Status or ConformanceScript.Ending.RefuseUsage)
        {
            string type = script.End == ConformanceScript.Ending.RefuseUsage ? "usage_unsupported" : "api_error";
            response.StatusCode = script.Status;
            await response.WriteAsJsonAsync(new { error = new { type, message = script.Message } }, context.RequestAborted);
            return;
        }

        response.ContentType = "application/x-ndjson";
        if (script.Reasoning is not null)
        {
            await LineAsync(context, new { reasoning = script.Reasoning });
        }

        foreach (string piece in script.Pieces)
        {
            await LineAsync(context, new { text = piece });
        }

        switch (script.End)
        {
            case ConformanceScript.Ending.Complete:
                await LineAsync(context, new { done = "stop", usage = new { input = ConformanceScript.InputTokens, output = script.Pieces.Count, cached = 3, reasoning = 2 } });
                break;
            case ConformanceScript.Ending.Cut:
                await Respond.CutWhen(script.When!)(context);
                break;
            case ConformanceScript.Ending.ErrorEvent:
                await LineAsync(context, new { error = new { type = "overloaded", message = script.Message } });
                break;
            default:
                await Respond.Stall(context);
                break;
        }
    };

    private static async Task LineAsync(HttpContext context, object item)
    {
        await context.Response.WriteAsync(JsonSerializer.Serialize(item) + "\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private sealed class Backend(OpenAITestServer server) : IConformanceBackend
    {
        public IChatUpdateSource Source { get; } = new JsonLinesChatSource(Http, server.Endpoint);

        public bool AsksForUsage => true;

        public IReadOnlyList<SentAttempt> Sent => server.Requests.Select(r => new SentAttempt(
            r.Json.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList(),
            r.Json.GetProperty("usage").GetBoolean())).ToList();

        public Task ClosedAsync(int index) => server.ClientDisconnected(index);

        public ValueTask DisposeAsync() => server.DisposeAsync();
    }
}
