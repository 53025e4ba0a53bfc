using System.Text;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// Ready-made scripts: each writes real bytes to the response. Use them as they are, combine them with
/// <see cref="SseScript"/>, or write your own <c>Func&lt;HttpContext, Task&gt;</c>.
/// </summary>
public static partial class Respond
{
    /// <summary>The message OpenAI sends with a 429 for too many requests.</summary>
    public const string RateLimitMessage = "Rate limit reached for gpt-4o-mini in organization org-test on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.";

    /// <summary>The message OpenAI sends with a 5xx when generation failed.</summary>
    public const string ServerErrorMessage = "The server had an error while processing your request. Sorry about that!";

    /// <summary>The page an nginx reverse proxy sends when its upstream is down.</summary>
    public const string BadGatewayPage =
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    /// <summary>The page a captive portal (hotel or airport Wi-Fi) answers every request with, with a 200.</summary>
    public const string CaptivePortalPage =
        "<!DOCTYPE html>\n<html><head><title>Welcome to Guest Wi-Fi</title></head>\n<body><h1>Sign in to continue</h1><form method=\"post\" action=\"/login\"><button>Accept and connect</button></form></body></html>\n";

    /// <summary>A 200 <c>text/event-stream</c> response writing each piece as-is, flushing after each one.</summary>
    /// <param name="pieces">The pieces, usually <see cref="SseEvents"/> events.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    public static Func<HttpContext, Task> Sse(params string[] pieces) => Sse(pieces, then: null);

    /// <summary>Like <see cref="Sse(string[])"/>, then runs <paramref name="then"/> (<see cref="Cut"/>, <see cref="Stall"/>, <see cref="CutWhen"/>…).</summary>
    /// <param name="pieces">The pieces.</param>
    /// <param name="then">What to do after the pieces; <see langword="null"/> ends the response normally.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pieces"/> or one of its items is <see langword="null"/>.</exception>
    public static Func<HttpContext, Task> Sse(IEnumerable<string> pieces, Func<HttpContext, Task>? then)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var script = new SseScript();
        foreach (string piece in pieces)
        {
            script.Raw(piece ?? throw new ArgumentNullException(nameof(pieces)));
        }

        return then is null ? script.Build() : script.Then(then).Build();
    }

    /// <summary>The standard answer: role chunk, one chunk per content piece, finish chunk, usage chunk, <c>[DONE]</c> (see <see cref="SseEvents.StandardAnswer"/>).</summary>
    /// <param name="contents">The content pieces.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="contents"/> is <see langword="null"/>.</exception>
    public static Func<HttpContext, Task> Answer(params string[] contents) => SseScript.Answer(contents).Build();

    /// <summary>A 200 <c>text/event-stream</c> response writing the whole body one byte per write, so UTF-8 characters and line endings are split across reads.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> is <see langword="null"/>.</exception>
    public static Func<HttpContext, Task> Trickle(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return new SseScript().Trickle().Raw(body).Build();
    }

    /// <summary>A response with any status, body and headers, sent with a <c>Content-Length</c>.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="body">The body.</param>
    /// <param name="contentType">The content type.</param>
    /// <param name="headers">More headers.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="body"/> or <paramref name="headers"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not between 100 and 599.</exception>
    public static Func<HttpContext, Task> Status(int status, string body, string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        byte[] bytes = Encoding.UTF8.GetBytes(body);
        (string Name, string Value)[] copy = [.. headers];
        return async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.ContentLength = bytes.Length;
            foreach ((string name, string value) in copy)
            {
                context.Response.Headers.Append(name, value);
            }

            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        };
    }

    /// <summary>An OpenAI-style JSON error (see <see cref="SseEvents.ErrorJson"/>) with the given status and headers.</summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="message">The error message.</param>
    /// <param name="type">The error type, for example <c>invalid_request_error</c>.</param>
    /// <param name="code">The error code, for example <c>rate_limit_exceeded</c>.</param>
    /// <param name="param">The offending parameter.</param>
    /// <param name="headers">More headers, for example <c>("Retry-After", "2")</c>.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> or <paramref name="headers"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not between 100 and 599.</exception>
    public static Func<HttpContext, Task> Error(int status, string message, string? type = null, string? code = null, string? param = null, params (string Name, string Value)[] headers)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Status(status, SseEvents.ErrorJson(message, type, code, param), "application/json", headers);
    }

    /// <summary>A 429 as OpenAI sends it, with the retry hints given.</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> header's value as sent (seconds, or an HTTP date), or <see langword="null"/> for none.</param>
    /// <param name="retryAfterMs">The <c>retry-after-ms</c> header's value as sent, or <see langword="null"/> for none.</param>
    /// <param name="code">The error code: <c>rate_limit_exceeded</c>, or <c>insufficient_quota</c> for an exhausted quota.</param>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> RateLimited(string? retryAfter = null, string? retryAfterMs = null, string code = "rate_limit_exceeded")
    {
        var headers = new List<(string, string)>();
        if (retryAfter is not null)
        {
            headers.Add(("Retry-After", retryAfter));
        }

        if (retryAfterMs is not null)
        {
            headers.Add(("retry-after-ms", retryAfterMs));
        }

        return string.Equals(code, "insufficient_quota", StringComparison.Ordinal)
            ? Error(429, "You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", code, headers: [.. headers])
            : Error(429, RateLimitMessage, "requests", code, headers: [.. headers]);
    }

    /// <summary>A 401 as OpenAI sends it for a wrong key, the key masked in the message the way OpenAI masks it (<c>sk-test-*****CRET</c>).</summary>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> Unauthorized() => context =>
    {
        string key = context.GetRecordedRequest().ApiKey ?? string.Empty;
        string masked = key.Length > 12 ? key[..8] + new string('*', key.Length - 12) + key[^4..] : new string('*', key.Length);
        return Error(401, $"Incorrect API key provided: {masked}. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key")(context);
    };

    /// <summary>
    /// A careless server's error that echoes the request's API key in full: in the error message and in a response
    /// header. Tests use it to check that the key never reaches exceptions, logs or transcripts.
    /// </summary>
    /// <param name="status">The HTTP status.</param>
    /// <param name="header">The header to echo the key in, or <see langword="null"/> for none.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is not between 100 and 599.</exception>
    public static Func<HttpContext, Task> EchoApiKey(int status = 401, string? header = "x-request-id")
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(status, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(status, 599);
        return context =>
        {
            string key = context.GetRecordedRequest().ApiKey ?? string.Empty;
            (string, string)[] headers = header is null ? [] : [(header, key)];
            return Error(status, $"Incorrect API key provided: {key}.", "invalid_request_error", "invalid_api_key", headers: headers)(context);
        };
    }

    /// <summary>A 400 <c>context_length_exceeded</c> as OpenAI sends it (<c>param</c> is <c>messages</c>).</summary>
    /// <param name="maxTokens">The model's context window named in the message.</param>
    /// <param name="requestedTokens">The request's size named in the message.</param>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> ContextLengthExceeded(int maxTokens = 128000, int requestedTokens = 130000) =>
        Error(
            400,
            $"This model's maximum context length is {maxTokens} tokens. However, your messages resulted in {requestedTokens} tokens. Please reduce the length of the messages.",
            "invalid_request_error",
            "context_length_exceeded",
            "messages");

    /// <summary>A server error with OpenAI's JSON body.</summary>
    /// <param name="status">The HTTP status (500, 502, 503, 504…).</param>
    /// <param name="message">The message.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public static Func<HttpContext, Task> ServerError(int status = 500, string message = ServerErrorMessage) => Error(status, message, "server_error");

    /// <summary>A 502 with nginx's HTML page (<see cref="BadGatewayPage"/>): a proxy between the client and a server that is down.</summary>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> BadGatewayHtml() => Status(502, BadGatewayPage, "text/html");

    /// <summary>A 200 with an HTML page (<see cref="CaptivePortalPage"/>) instead of an event stream: a captive portal.</summary>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> CaptivePortal() => Status(200, CaptivePortalPage, "text/html; charset=utf-8");

    /// <summary>
    /// A 200 non-streamed <c>chat.completion</c> JSON body (<c>application/json</c>): what a server that ignores
    /// <c>stream: true</c> answers.
    /// </summary>
    /// <param name="content">The assistant message's content.</param>
    /// <param name="finishReason">The finish reason.</param>
    /// <param name="promptTokens">Prompt tokens in <c>usage</c>.</param>
    /// <param name="completionTokens">Completion tokens in <c>usage</c>.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    public static Func<HttpContext, Task> Completion(string content, string finishReason = "stop", int promptTokens = 12, int completionTokens = 1)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Status(200, ChunkJson.Default.Completion(content, finishReason, promptTokens, completionTokens), "application/json");
    }

    /// <summary>Aborts the connection: a cut mid-stream, or before any response when used as the whole script.</summary>
    /// <param name="context">The context.</param>
    /// <returns>A completed task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static Task Cut(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Abort();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Aborts the connection once <paramref name="condition"/> holds. A TCP reset can discard bytes the client has not
    /// read yet, so tests that assert on text before a cut wait until the client has it, then cut.
    /// </summary>
    /// <param name="condition">The condition, checked every millisecond on a server thread, for at most <see cref="OpenAITestServerOptions.WaitTimeout"/>.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="condition"/> is <see langword="null"/>.</exception>
    public static Func<HttpContext, Task> CutWhen(Func<bool> condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return async context =>
        {
            TimeSpan limit = RequestScope.Of(context)?.WaitTimeout ?? TimeSpan.FromSeconds(30);
            await ConditionWait.UntilAsync(condition, limit, "the condition given to CutWhen held", context.RequestAborted).ConfigureAwait(false);
            context.Abort();
        };
    }

    /// <summary>Sends nothing more until the client goes away (or the server is disposed).</summary>
    /// <param name="context">The context.</param>
    /// <returns>A task that ends when the request is aborted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static Task Stall(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, context.RequestAborted);
    }

    /// <summary>Stalls before sending even the headers: the client waits for a response that never starts.</summary>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> StallBeforeHeaders() => Stall;

    /// <summary>
    /// Replays a recorded response: its status and headers after <see cref="SseTranscript.HeadersDelay"/>, each chunk after
    /// its delay, and a cut where the recording was cut. Delays run on the server's clock
    /// (<see cref="OpenAITestServerOptions.TimeProvider"/>), divided by <paramref name="speed"/>.
    /// </summary>
    /// <param name="transcript">The recording.</param>
    /// <param name="speed">How much faster than recorded: 1 is the original timing, 10 ten times faster, <see cref="double.PositiveInfinity"/> no waiting at all.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transcript"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="speed"/> is not positive (or is NaN).</exception>
    public static Func<HttpContext, Task> Replay(SseTranscript transcript, double speed = 1.0)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        if (double.IsNaN(speed) || speed <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "Speed must be positive: 1 replays the original timing, 10 ten times faster, double.PositiveInfinity without waiting.");
        }

        return context => ReplayAsync(context, transcript, speed);
    }

    /// <summary>Replays a recorded response without waiting between chunks (the chunks are still written and flushed one by one).</summary>
    /// <param name="transcript">The recording.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transcript"/> is <see langword="null"/>.</exception>
    public static Func<HttpContext, Task> ReplayInstantly(SseTranscript transcript) => Replay(transcript, double.PositiveInfinity);

    private static async Task ReplayAsync(HttpContext context, SseTranscript transcript, double speed)
    {
        TimeProvider time = context.GetTestTimeProvider();
        CancellationToken aborted = context.RequestAborted;
        Task WaitAsync(TimeSpan recorded)
        {
            TimeSpan scaled = double.IsPositiveInfinity(speed) ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Round(recorded.Ticks / speed));
            return ExactDelay.WaitAsync(time, scaled, aborted);
        }

        await WaitAsync(transcript.HeadersDelay).ConfigureAwait(false);
        HttpResponse response = context.Response;
        response.StatusCode = transcript.StatusCode;
        if (transcript.ContentType is not null)
        {
            response.ContentType = transcript.ContentType;
        }

        foreach (KeyValuePair<string, string> header in transcript.Headers)
        {
            response.Headers.Append(header.Key, header.Value);
        }

        await response.StartAsync(aborted).ConfigureAwait(false);
        foreach (TranscriptChunk chunk in transcript.Chunks)
        {
            await WaitAsync(chunk.Delay).ConfigureAwait(false);
            await response.Body.WriteAsync(chunk.Data, aborted).ConfigureAwait(false);
            await response.Body.FlushAsync(aborted).ConfigureAwait(false);
        }

        await WaitAsync(transcript.EndDelay).ConfigureAwait(false);
        if (transcript.Ending == TranscriptEnding.Cut)
        {
            context.Abort();
        }
    }
}
