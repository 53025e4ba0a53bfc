using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples;

/// <summary>
/// The offline demo upstream the samples fall back to when no model is configured (no <c>OPENAI_API_KEY</c>, no
/// <c>OPENAI_BASE_URL</c>): a loopback <see cref="OpenAITestServer"/> that answers every request by replaying an
/// embedded transcript (<c>bubble-sort.sse.jsonl</c>, in the <c>sse-transcript/1</c> format) with its timing — a C#
/// block named <c>BubbleSort.cs</c>, a usage block, an explanation, and a last line saying it is the demo. The transcript
/// is shaped like gpt-4o-mini's stream (one token per event, usage last) rather than captured from the API. Real SSE over
/// real HTTP, so everything downstream of the endpoint (retries, timeouts, chunking, token counts) runs exactly as it does
/// against a real model.
/// </summary>
public sealed class OfflineDemo : IAsyncDisposable
{
    /// <summary>The model name the demo reports.</summary>
    public const string Model = "gpt-4o-mini";

    /// <summary>The prompt the recorded answer answers (every request gets the same answer).</summary>
    public const string RecordedPrompt = "Write a bubble sort in C#";

    private const string TranscriptResource = "StreamingCodeGeneration.Samples.Demo.bubble-sort.sse.jsonl";

    private readonly OpenAITestServer _server;

    private OfflineDemo(OpenAITestServer server) => _server = server;

    /// <summary>Gets the demo's base URL, up to <c>/v1/</c>, for <see cref="StreamingCodeGeneratorOptions.Endpoint"/>.</summary>
    public Uri Endpoint => _server.Endpoint;

    /// <summary>Gets how many requests the demo has answered.</summary>
    public int RequestCount => _server.RequestCount;

    /// <summary>Loads the embedded transcript.</summary>
    /// <returns>The transcript the demo replays.</returns>
    public static SseTranscript LoadTranscript()
    {
        using Stream stream = typeof(OfflineDemo).Assembly.GetManifestResourceStream(TranscriptResource)
            ?? throw new InvalidOperationException($"The embedded resource {TranscriptResource} is missing.");
        using var reader = new StreamReader(stream);
        return SseTranscript.Parse(reader.ReadToEnd());
    }

    /// <summary>Starts the demo on 127.0.0.1, on a port the OS picks.</summary>
    /// <param name="speed">How much faster than recorded to replay: 1 is the recorded pace, <see cref="double.PositiveInfinity"/> no waiting.</param>
    /// <returns>The running demo; dispose it to stop it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="speed"/> is not positive.</exception>
    public static async Task<OfflineDemo> StartAsync(double speed = 1.0)
    {
        Func<Microsoft.AspNetCore.Http.HttpContext, Task> replay = Respond.Replay(LoadTranscript(), speed);
        OpenAITestServer server = await OpenAITestServer.StartAsync((context, _) => replay(context)).ConfigureAwait(false);
        return new OfflineDemo(server);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
