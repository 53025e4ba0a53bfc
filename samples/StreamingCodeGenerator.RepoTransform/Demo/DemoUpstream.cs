using StreamingCodeGeneration.Samples;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary>
/// The offline demo's model: a loopback <see cref="OpenAITestServer"/> that replays <see cref="TransformDemo"/>'s recorded
/// answers at their recorded pace, request N getting answer N (the last one repeating), as the other samples' demos do.
/// Real SSE over real HTTP: the run downstream of the endpoint is the real one.
/// </summary>
internal sealed class DemoUpstream : IAsyncDisposable
{
    private readonly OpenAITestServer _server;

    private DemoUpstream(OpenAITestServer server) => _server = server;

    public Uri Endpoint => _server.Endpoint;

    public static async Task<DemoUpstream> StartAsync()
    {
        SseTranscript[] transcripts = [.. TransformDemo.LoadTranscripts().Select(SseTranscript.Parse)];
        Func<Microsoft.AspNetCore.Http.HttpContext, Task>[] replays = [.. transcripts.Select(transcript => Respond.Replay(transcript))];
        return new DemoUpstream(await OpenAITestServer.StartAsync((context, index) => replays[Math.Min(index, replays.Length - 1)](context)));
    }

    /// <summary>The command line's settings (timeouts, --max-tokens…) pointed at the demo, without a key, under the demo's model name.</summary>
    public StreamingCodeGeneratorOptions CreateOptions(ModelOptions model, System.CommandLine.ParseResult parse)
    {
        string url = Endpoint.AbsoluteUri;
        model.TryCreateOptions(parse, name => name is ModelOptions.BaseUrlVariable or ModelOptions.AzureEndpointVariable or ModelOptions.AnthropicBaseUrlVariable ? url : null, out StreamingCodeGeneratorOptions? options);
        options!.Endpoint = Endpoint;
        options.Provider = ModelProvider.OpenAI;
        options.ApiKey = null;
        options.Model = TransformDemo.Model;
        options.TokenizerEncoding = TokenizerEncoding.O200kBase;
        return options;
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
