using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// The offline demo: a recorded answer (a gpt-4o-mini-shaped stream, one token per event, with its usage) replayed at
/// its original pace by the repository's loopback test server, so a machine without a key runs the real streaming
/// path end to end: HTTP, server-sent events, code detection, token counting, the live display.
/// </summary>
internal sealed class OfflineDemo : IAsyncDisposable
{
    /// <summary>What the recorded answer answers.</summary>
    public const string RecordedPrompt = "Write a bubble sort in C#";

    private const string ResourceName = "Demo.bubble-sort.sse.jsonl";

    private readonly OpenAITestServer _server;

    private OfflineDemo(OpenAITestServer server) => _server = server;

    /// <summary>Gets the loopback endpoint to point the generator at.</summary>
    public Uri Endpoint => _server.Endpoint;

    /// <summary>Starts the server; every request gets the recorded answer.</summary>
    public static async Task<OfflineDemo> StartAsync()
    {
        return new OfflineDemo(await OpenAITestServer.StartAsync(Respond.Replay(LoadTranscript())));
    }

    /// <summary>Reads the embedded transcript.</summary>
    public static SseTranscript LoadTranscript()
    {
        using Stream stream = typeof(OfflineDemo).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The demo transcript {ResourceName} is not embedded in {typeof(OfflineDemo).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return SseTranscript.Parse(reader.ReadToEnd());
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
