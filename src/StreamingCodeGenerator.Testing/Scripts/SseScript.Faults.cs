namespace StreamingCodeGeneration.Testing;

/// <content>Broken and hostile events: errors mid-stream, malformed data, a server that echoes the API key.</content>
public sealed partial class SseScript
{
    /// <summary>The malformed data <see cref="MalformedData"/> sends by default: JSON cut off mid-object.</summary>
    public const string DefaultMalformedData = "{\"choices\":[{\"delta\":{\"content\":\"oops\"";

    /// <summary>
    /// Adds an error sent as event data in the middle of a stream, as OpenAI does when generation fails after the 200:
    /// <c>data: {"error":{"message":…,"type":…,"code":…}}</c>.
    /// </summary>
    /// <param name="message">The error message.</param>
    /// <param name="type">The error type.</param>
    /// <param name="code">The error code, or <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public SseScript ErrorEvent(string message, string type = "server_error", string? code = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Step(run => run.WriteDataAsync(ChunkJson.Error(message, type, code)));
    }

    /// <summary>Adds an SSE event named <c>error</c> (<c>event: error</c>) with <paramref name="data"/> as its data.</summary>
    /// <param name="data">The data as-is, JSON or not.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    public SseScript NamedErrorEvent(string data = "{\"message\":\"overloaded\"}") => Event("error", data);

    /// <summary>Adds an event whose data is not valid JSON.</summary>
    /// <param name="data">The data.</param>
    /// <returns>This builder.</returns>
    /// <value>The default is <see cref="DefaultMalformedData"/>.</value>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is <see langword="null"/>.</exception>
    public SseScript MalformedData(string data = DefaultMalformedData) => Data(data);

    /// <summary>Adds a content chunk computed from the request, for example text quoting the user's prompt.</summary>
    /// <param name="text">Computes the content from the recorded request.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    public SseScript ContentFrom(Func<RecordedRequest, string> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Step(run => run.WriteDataAsync(run.Json.Content(text(run.Request))));
    }

    /// <summary>
    /// Adds a content chunk holding the request's API key (<see cref="RecordedRequest.ApiKey"/>), as a careless server or
    /// proxy might: to test that the key never reaches logs, exceptions or transcripts.
    /// </summary>
    /// <returns>This builder.</returns>
    public SseScript EchoApiKey() => ContentFrom(request => "Your key is " + request.ApiKey + ".");

    /// <summary>Adds a response header holding the request's API key, as a careless proxy might.</summary>
    /// <param name="name">The header name.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public SseScript EchoApiKeyInHeader(string name = "x-request-id") => WithHeader(name, request => request.ApiKey ?? string.Empty);
}
