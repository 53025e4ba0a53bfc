namespace StreamingCodeGeneration.Testing;

/// <summary>
/// Single server-sent events as OpenAI-compatible servers send them, as strings (each ends with <c>\n\n</c>), for
/// <see cref="Respond.Sse(string[])"/> or your own scripts. <see cref="SseScript"/> builds the same events fluently,
/// with other line endings and pacing. Strings are written as raw UTF-8: only quotes, backslashes and control
/// characters are escaped.
/// </summary>
public static class SseEvents
{
    /// <summary>The <c>id</c> every chunk carries unless a script sets another.</summary>
    public const string Id = "chatcmpl-test";

    /// <summary>The <c>model</c> every chunk carries unless a script sets another.</summary>
    public const string Model = "gpt-4o-mini-2024-07-18";

    /// <summary>The end-of-stream sentinel, <c>data: [DONE]</c>.</summary>
    public const string Done = "data: [DONE]\n\n";

    /// <summary>An event carrying <paramref name="data"/> on one <c>data:</c> line.</summary>
    /// <param name="data">The data, usually JSON; written as-is.</param>
    /// <returns><c>data: DATA\n\n</c>.</returns>
    public static string Data(string data) => "data: " + data + "\n\n";

    /// <summary>The first chunk of an answer: <c>"delta":{"role":"assistant","content":""}</c>.</summary>
    /// <returns>The event.</returns>
    public static string Role() => Data(ChunkJson.Default.Role("assistant"));

    /// <summary>A content delta: <c>"delta":{"content":TEXT}</c>.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The event.</returns>
    public static string Content(string text) => Data(ChunkJson.Default.Content(text));

    /// <summary>The last choice chunk: <c>"delta":{},"finish_reason":REASON</c>.</summary>
    /// <param name="reason">The finish reason (<c>stop</c>, <c>length</c>, <c>content_filter</c>, <c>tool_calls</c>…).</param>
    /// <returns>The event.</returns>
    public static string Finish(string reason = "stop") => Data(ChunkJson.Default.Finish(reason));

    /// <summary>A usage chunk, as sent when <c>stream_options.include_usage</c> is set: <c>"choices":[],"usage":{…}</c>.</summary>
    /// <param name="prompt">Prompt tokens.</param>
    /// <param name="completion">Completion tokens; <c>total_tokens</c> is the sum.</param>
    /// <returns>The event.</returns>
    public static string Usage(int prompt, int completion) => Data(ChunkJson.Default.Usage(prompt, completion));

    /// <summary>An error sent mid-stream as event data: <c>{"error":{"message":…,"type":…,"code":null}}</c>.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="type">The error type.</param>
    /// <returns>The event.</returns>
    public static string ErrorEvent(string message, string type = "server_error") => Data(ChunkJson.Error(message, type, code: null));

    /// <summary>An OpenAI error body: <c>{"error":{"message":…,"type":…,"param":…,"code":…}}</c> (absent values are <c>null</c>).</summary>
    /// <param name="message">The error message.</param>
    /// <param name="type">The error type, for example <c>invalid_request_error</c>.</param>
    /// <param name="code">The error code, for example <c>context_length_exceeded</c>.</param>
    /// <param name="param">The offending parameter, for example <c>messages</c>.</param>
    /// <returns>The JSON text (no event framing).</returns>
    public static string ErrorJson(string message, string? type = null, string? code = null, string? param = null) => ChunkJson.ErrorBody(message, type, code, param);

    /// <summary>
    /// The standard answer: a role chunk, one content chunk per item of <paramref name="contents"/>, a <c>stop</c> finish
    /// chunk, a usage chunk (12 prompt tokens, one completion token per content chunk) and <c>[DONE]</c>.
    /// </summary>
    /// <param name="contents">The content pieces.</param>
    /// <returns>The events, in order.</returns>
    public static string[] StandardAnswer(params string[] contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        var events = new List<string>(contents.Length + 4) { Role() };
        foreach (string content in contents)
        {
            events.Add(Content(content));
        }

        events.Add(Finish());
        events.Add(Usage(12, contents.Length));
        events.Add(Done);
        return [.. events];
    }
}
