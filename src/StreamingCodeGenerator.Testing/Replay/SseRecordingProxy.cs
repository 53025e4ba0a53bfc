using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// A small reverse proxy on 127.0.0.1 that records what a real server streams: point a client at
/// <see cref="Endpoint"/>, and every request is forwarded to the upstream server (headers, <c>Authorization</c>
/// included, and body), its response streamed back unchanged as it arrives, and written down as an
/// <see cref="SseTranscript"/> with its timing. The API key never reaches a transcript.
/// </summary>
/// <remarks>
/// <para>
/// Paths are kept: with upstream <c>https://api.openai.com/v1/</c>, <see cref="Endpoint"/> is
/// <c>http://127.0.0.1:PORT/v1/</c> and <c>POST /v1/chat/completions</c> goes to
/// <c>https://api.openai.com/v1/chat/completions</c>.
/// </para>
/// <para>
/// What is not forwarded: hop-by-hop headers, <c>Host</c> (set from the upstream), and <c>Accept-Encoding</c>, so the
/// upstream answers uncompressed and the transcript stays readable. What is not recorded: request headers and bodies
/// (the transcript names only method and path), the response's <c>Date</c>, <c>Server</c>, <c>Set-Cookie</c>,
/// <c>openai-organization</c> and <c>openai-project</c> headers; and the request's API key (from
/// <c>Authorization</c>, <c>api-key</c> or <c>x-api-key</c>) is replaced with <c>[REDACTED]</c> wherever the response
/// echoes it, in headers or body. Chunk boundaries in a transcript are the proxy's reads, except that a UTF-8 character
/// split between reads is kept whole in the later chunk.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// await using var proxy = await SseRecordingProxy.StartAsync(new Uri("https://api.openai.com/v1/"), "Transcripts/bubble-sort.sse.jsonl");
/// var generator = new StreamingCodeGenerator(proxy.CreateOptions(realApiKey));
/// await generator.GenerateCodeWithExplanationAsync("Write a bubble sort in C#");
/// await proxy.WaitForTranscriptAsync(0);
/// </code>
/// </example>
public sealed class SseRecordingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> NotForwarded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Accept-Encoding", "Expect",
    };

    private static readonly HashSet<string> NotRecorded = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "Trailer", "Upgrade", "Content-Length",
        "Content-Type", "Date", "Server", "Set-Cookie", "openai-organization", "openai-project",
    };

    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _client;
    private readonly Uri _upstreamOrigin;
    private readonly string? _transcriptPath;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly SortedList<int, SseTranscript> _recorded = [];
    private readonly ConcurrentDictionary<int, TaskCompletionSource<SseTranscript>> _waiters = new();
    private LoopbackHost _host = null!;
    private int _requestCount;

    private SseRecordingProxy(Uri upstreamBaseUri, string? transcriptPath, TimeProvider time)
    {
        UpstreamBaseUri = upstreamBaseUri;
        _upstreamOrigin = new Uri(upstreamBaseUri.GetLeftPart(UriPartial.Authority) + "/");
        _transcriptPath = transcriptPath;
        _time = time;
        _client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Gets the upstream server's base URL, as given.</summary>
    public Uri UpstreamBaseUri { get; }

    /// <summary>Gets the base URL to give a client: <c>http://127.0.0.1:PORT</c> followed by the upstream's path (for example <c>/v1/</c>).</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Gets how many requests have arrived.</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Gets the transcripts of the responses that have ended, in request order.</summary>
    public IReadOnlyList<SseTranscript> Transcripts
    {
        get
        {
            lock (_gate)
            {
                return _recorded.Values.ToArray();
            }
        }
    }

    /// <summary>Starts a recording proxy in front of <paramref name="upstreamBaseUri"/>.</summary>
    /// <param name="upstreamBaseUri">The real server's base URL, for example <c>https://api.openai.com/v1/</c>.</param>
    /// <param name="transcriptPath">
    /// Where to write transcripts, or <see langword="null"/> to keep them only in <see cref="Transcripts"/>. A file path
    /// receives request 0's transcript, and request N's goes beside it as <c>NAME.N.EXT</c>; an existing directory (or a
    /// path ending with a separator) receives <c>0000.sse.jsonl</c>, <c>0001.sse.jsonl</c>…
    /// </param>
    /// <param name="timeProvider">The clock that times the chunks; the default is <see cref="TimeProvider.System"/>.</param>
    /// <returns>The started proxy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="upstreamBaseUri"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="upstreamBaseUri"/> is not an absolute http or https URL.</exception>
    public static async Task<SseRecordingProxy> StartAsync(Uri upstreamBaseUri, string? transcriptPath = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(upstreamBaseUri);
        if (!upstreamBaseUri.IsAbsoluteUri || upstreamBaseUri.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"The upstream must be an absolute http or https URL, not \"{upstreamBaseUri}\".", nameof(upstreamBaseUri));
        }

        var proxy = new SseRecordingProxy(upstreamBaseUri, transcriptPath, timeProvider ?? TimeProvider.System);
        try
        {
            proxy._host = await LoopbackHost.StartAsync(proxy.HandleAsync, CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            proxy._client.Dispose();
            throw;
        }

        string path = upstreamBaseUri.AbsolutePath.EndsWith('/') ? upstreamBaseUri.AbsolutePath : upstreamBaseUri.AbsolutePath + "/";
        proxy.Endpoint = new Uri(proxy._host.BaseAddress, path);
        return proxy;
    }

    /// <summary>Gets the file request <paramref name="index"/>'s transcript is written to, or <see langword="null"/> when transcripts are kept in memory only.</summary>
    /// <param name="index">The request's 0-based index.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public string? GetTranscriptPath(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (_transcriptPath is null)
        {
            return null;
        }

        if (Directory.Exists(_transcriptPath) || _transcriptPath.EndsWith(Path.DirectorySeparatorChar) || _transcriptPath.EndsWith(Path.AltDirectorySeparatorChar))
        {
            return Path.Combine(_transcriptPath, $"{index:D4}.sse.jsonl");
        }

        if (index == 0)
        {
            return _transcriptPath;
        }

        string directory = Path.GetDirectoryName(_transcriptPath) ?? string.Empty;
        return Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(_transcriptPath)}.{index}{Path.GetExtension(_transcriptPath)}");
    }

    /// <summary>Waits until request <paramref name="index"/>'s response has ended and its transcript is written, for at most 30 seconds.</summary>
    /// <param name="index">The request's 0-based index.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The transcript.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    /// <exception cref="TimeoutException">The response did not end in time.</exception>
    /// <exception cref="HttpRequestException">The upstream could not be reached, so there is nothing to record.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<SseTranscript> WaitForTranscriptAsync(int index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        try
        {
            return await Waiter(index).Task.WaitAsync(WaitTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Request {index}'s response did not end within {WaitTimeout}; {RequestCount} request(s) arrived.", ex);
        }
    }

    /// <summary>Creates generator options pointed at this proxy, with the key to forward to the upstream and the library's other defaults.</summary>
    /// <param name="apiKey">The upstream's API key; it is forwarded, never recorded.</param>
    /// <returns>New options.</returns>
    public StreamingCodeGeneratorOptions CreateOptions(string? apiKey) => new() { Endpoint = Endpoint, ApiKey = apiKey };

    /// <summary>Aborts the requests in flight and stops the proxy.</summary>
    /// <returns>A task that completes when the proxy has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
    }

    private TaskCompletionSource<SseTranscript> Waiter(int index) =>
        _waiters.GetOrAdd(index, _ => new TaskCompletionSource<SseTranscript>(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task HandleAsync(HttpContext context)
    {
        int index = Interlocked.Increment(ref _requestCount) - 1;
        using CancellationTokenRegistration onStop = _host.Stopping.Register(static state => ((HttpContext)state!).Abort(), context);
        CancellationToken aborted = context.RequestAborted;
        HttpRequest incoming = context.Request;
        var secrets = TranscriptRedactor.UsableSecrets(
        [
            incoming.Headers.Authorization.ToString(),
            BearerToken(incoming.Headers.Authorization.ToString()),
            incoming.Headers["api-key"].ToString(),
            incoming.Headers["x-api-key"].ToString(),
        ]);

        HttpResponseMessage upstream;
        long start;
        try
        {
            using HttpRequestMessage request = await CreateUpstreamRequestAsync(incoming, aborted).ConfigureAwait(false);
            start = _time.GetTimestamp();
            upstream = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or ConnectionResetException)
        {
            Waiter(index).TrySetException(ex is HttpRequestException ? ex : new HttpRequestException("The request ended before the upstream answered.", ex));
            if (!aborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(SseEvents.ErrorJson($"SseRecordingProxy could not reach {UpstreamBaseUri}: {ex.Message}", "proxy_error"), aborted).ConfigureAwait(false);
            }

            return;
        }

        using (upstream)
        {
            TimeSpan headersDelay = _time.GetElapsedTime(start);
            var recordedHeaders = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            CopyResponseHeaders(upstream, context.Response, recordedHeaders, secrets);
            (List<TranscriptChunk> chunks, TranscriptEnding ending, TimeSpan endDelay) = await StreamBodyAsync(upstream, context).ConfigureAwait(false);
            var transcript = new SseTranscript
            {
                Request = incoming.Method + " " + incoming.PathBase.Add(incoming.Path),
                StatusCode = (int)upstream.StatusCode,
                ContentType = upstream.Content.Headers.ContentType?.ToString(),
                Headers = recordedHeaders,
                HeadersDelay = headersDelay,
                Chunks = TranscriptRedactor.Redact(chunks, secrets),
                Ending = ending,
                EndDelay = endDelay,
            };
            Complete(index, transcript);
        }
    }

    private void Complete(int index, SseTranscript transcript)
    {
        try
        {
            string? path = GetTranscriptPath(index);
            if (path is not null)
            {
                transcript.Save(path);
            }

            lock (_gate)
            {
                _recorded[index] = transcript;
            }

            Waiter(index).TrySetResult(transcript);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Waiter(index).TrySetException(ex);
        }
    }

    private async Task<(List<TranscriptChunk> Chunks, TranscriptEnding Ending, TimeSpan EndDelay)> StreamBodyAsync(HttpResponseMessage upstream, HttpContext context)
    {
        CancellationToken aborted = context.RequestAborted;
        var chunks = new List<TranscriptChunk>();
        TranscriptEnding ending = TranscriptEnding.Complete;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        byte[] pending = [];
        long last = _time.GetTimestamp();
        try
        {
            await context.Response.StartAsync(aborted).ConfigureAwait(false);
            Stream body = await upstream.Content.ReadAsStreamAsync(aborted).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, aborted).ConfigureAwait(false)) > 0)
                {
                    await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), aborted).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);

                    // Record what arrived, holding back an incomplete UTF-8 character for the next chunk.
                    byte[] data = [.. pending, .. buffer.AsSpan(0, read)];
                    int tail = Utf8Tail.IncompleteLength(data);
                    pending = data[^tail..];
                    if (data.Length > tail)
                    {
                        long now = _time.GetTimestamp();
                        chunks.Add(new TranscriptChunk(_time.GetElapsedTime(last, now), data.AsSpan(0, data.Length - tail)));
                        last = now;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or ConnectionAbortedException or ConnectionResetException)
        {
            // The upstream broke off, or the client went away: either way the response was cut, and the client must see it too.
            ending = TranscriptEnding.Cut;
            context.Abort();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        long end = _time.GetTimestamp();
        if (pending.Length > 0)
        {
            chunks.Add(new TranscriptChunk(_time.GetElapsedTime(last, end), pending));
            last = end;
        }

        return (chunks, ending, _time.GetElapsedTime(last, end));
    }

    private async Task<HttpRequestMessage> CreateUpstreamRequestAsync(HttpRequest incoming, CancellationToken cancellationToken)
    {
        var target = new Uri(_upstreamOrigin, incoming.PathBase.Add(incoming.Path).ToUriComponent() + incoming.QueryString.ToUriComponent());
        var request = new HttpRequestMessage(new HttpMethod(incoming.Method), target);
        var body = new MemoryStream();
        await incoming.Body.CopyToAsync(body, cancellationToken).ConfigureAwait(false);
        if (body.Length > 0 || incoming.ContentType is not null)
        {
            request.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in incoming.Headers)
        {
            if (NotForwarded.Contains(header.Key))
            {
                continue;
            }

            string?[] values = header.Value.ToArray();
            if (!request.Headers.TryAddWithoutValidation(header.Key, values) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(header.Key, values);
            }
        }

        return request;
    }

    private static void CopyResponseHeaders(HttpResponseMessage upstream, HttpResponse response, Dictionary<string, string> recorded, IReadOnlyList<string> secrets)
    {
        response.StatusCode = (int)upstream.StatusCode;
        foreach (KeyValuePair<string, IEnumerable<string>> header in upstream.Headers.Concat(upstream.Content.Headers))
        {
            if (string.Equals(header.Key, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                || string.Equals(header.Key, "Connection", StringComparison.OrdinalIgnoreCase)
                || string.Equals(header.Key, "Keep-Alive", StringComparison.OrdinalIgnoreCase)
                || string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string[] values = header.Value.ToArray();
            response.Headers.Append(header.Key, values);
            if (!NotRecorded.Contains(header.Key))
            {
                recorded[header.Key] = TranscriptRedactor.Redact(string.Join(", ", values), secrets);
            }
        }
    }

    private static string? BearerToken(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..] : null;
}
