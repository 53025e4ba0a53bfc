using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 (an OS-assigned port) whose every response is scripted byte by byte.
/// Request N gets script N; once the scripts run out, the last one repeats, and <see cref="Enqueue"/> adds scripts for
/// later requests. Every request is recorded for assertions.
/// </summary>
/// <remarks>
/// <para>
/// It runs on Kestrel from the ASP.NET Core shared framework, which every .NET SDK installs, so the package has no
/// NuGet dependency. Kestrel gives real HTTP/1.1: chunked transfer encoding, flushes that reach the client as separate
/// reads, a connection abort the client sees as a broken stream, and disconnect detection while a response is stalled.
/// <c>HttpListener</c> needs a free port found by probing (a race), buffers differently on each platform and cannot
/// tell that a client went away; raw sockets would mean writing an HTTP server.
/// </para>
/// <para>Each test should start its own server: they are cheap (one loopback listener) and isolate tests run in parallel.</para>
/// </remarks>
/// <example>
/// <code>
/// await using var server = await OpenAITestServer.StartAsync(Respond.Answer("Hello", ", world"));
/// var generator = new StreamingCodeGenerator(server.CreateOptions());
/// await foreach (Chunk chunk in generator.GenerateAsync("Say hello")) Console.Write(chunk.Text);
/// </code>
/// </example>
public sealed class OpenAITestServer : IAsyncDisposable
{
    /// <summary>The API key <see cref="CreateOptions"/> uses unless told otherwise. It looks like a real key so leak checks are meaningful.</summary>
    public const string DefaultApiKey = "sk-test-0123456789abcdefSECRET";

    /// <summary>The model <see cref="CreateOptions"/> asks for.</summary>
    public const string DefaultModel = "gpt-4o-mini";

    /// <summary>The key under which a request's body text is kept in <see cref="HttpContext.Items"/> (a script can also use <see cref="HttpContextTestServerExtensions.GetRecordedRequest"/>).</summary>
    public const string BodyItemKey = "scripted.body";

    private readonly Func<HttpContext, int, Task>? _handler;
    private readonly OpenAITestServerOptions _options;
    private readonly object _gate = new();
    private readonly Queue<Func<HttpContext, Task>> _scripts = new();
    private readonly SortedList<int, RecordedRequest> _requests = [];
    private readonly ConcurrentDictionary<int, TaskCompletionSource<RecordedRequest>> _arrivals = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _disconnects = new();
    private Func<HttpContext, Task>? _last;
    private LoopbackHost _host = null!;
    private int _requestCount;

    private OpenAITestServer(OpenAITestServerOptions options, Func<HttpContext, int, Task>? handler, IEnumerable<Func<HttpContext, Task>> scripts)
    {
        _options = options;
        _handler = handler;
        foreach (Func<HttpContext, Task> script in scripts)
        {
            ArgumentNullException.ThrowIfNull(script, nameof(scripts));
            _scripts.Enqueue(script);
        }
    }

    /// <summary>Gets the base URL to give a client, <c>http://127.0.0.1:PORT/v1/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Gets the server's root, <c>http://127.0.0.1:PORT/</c>, for raw <see cref="HttpClient"/> requests.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Gets the requests whose bodies have arrived so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.Values.ToArray();
            }
        }
    }

    /// <summary>Gets how many requests have arrived (counted as soon as their headers are in, before their bodies are read).</summary>
    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Starts a server that answers request N with <paramref name="scripts"/>[N], the last one repeating.</summary>
    /// <param name="scripts">The scripts, in request order: <see cref="Respond"/> members, <see cref="SseScript"/> builders or your own functions. None is allowed when scripts are added later with <see cref="Enqueue"/>.</param>
    /// <returns>The started server.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scripts"/> or one of its items is <see langword="null"/>.</exception>
    public static Task<OpenAITestServer> StartAsync(params Func<HttpContext, Task>[] scripts) => StartAsync(new OpenAITestServerOptions(), scripts);

    /// <summary>Starts a server with settings (a fake clock, for example) that answers request N with <paramref name="scripts"/>[N], the last one repeating.</summary>
    /// <param name="options">The settings; read once, at start.</param>
    /// <param name="scripts">The scripts, in request order.</param>
    /// <returns>The started server.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/>, <paramref name="scripts"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="OpenAITestServerOptions.WaitTimeout"/> is neither positive nor <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public static Task<OpenAITestServer> StartAsync(OpenAITestServerOptions options, params Func<HttpContext, Task>[] scripts)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        return StartCoreAsync(options, handler: null, scripts);
    }

    /// <summary>Starts a server that answers every request by calling <paramref name="handler"/> with the request's 0-based index.</summary>
    /// <param name="handler">Writes the response for a request; it may delegate to a script, for example <c>(context, i) =&gt; Respond.Answer($"#{i}")(context)</c>.</param>
    /// <returns>The started server.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is <see langword="null"/>.</exception>
    public static Task<OpenAITestServer> StartAsync(Func<HttpContext, int, Task> handler) => StartAsync(new OpenAITestServerOptions(), handler);

    /// <summary>Starts a server with settings that answers every request by calling <paramref name="handler"/> with the request's 0-based index.</summary>
    /// <param name="options">The settings; read once, at start.</param>
    /// <param name="handler">Writes the response for a request.</param>
    /// <returns>The started server.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="handler"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="OpenAITestServerOptions.WaitTimeout"/> is neither positive nor <see cref="Timeout.InfiniteTimeSpan"/>.</exception>
    public static Task<OpenAITestServer> StartAsync(OpenAITestServerOptions options, Func<HttpContext, int, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return StartCoreAsync(options, handler, []);
    }

    /// <summary>
    /// Adds scripts for the requests that have not arrived yet: each later request takes the next script in the queue;
    /// when the queue is empty the last script taken repeats.
    /// </summary>
    /// <param name="scripts">The scripts, in request order.</param>
    /// <exception cref="ArgumentNullException"><paramref name="scripts"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The server was started with a handler, which answers every request itself.</exception>
    public void Enqueue(params Func<HttpContext, Task>[] scripts)
    {
        ArgumentNullException.ThrowIfNull(scripts);
        if (_handler is not null)
        {
            throw new InvalidOperationException("This server was started with a handler, which answers every request; start it with scripts to use Enqueue.");
        }

        lock (_gate)
        {
            foreach (Func<HttpContext, Task> script in scripts)
            {
                ArgumentNullException.ThrowIfNull(script, nameof(scripts));
                _scripts.Enqueue(script);
            }
        }
    }

    /// <summary>
    /// Creates generator options pointed at this server: <see cref="Endpoint"/>, the given key, model
    /// <see cref="DefaultModel"/>, and <paramref name="maxRetries"/> retries. Change anything else on the result.
    /// </summary>
    /// <param name="apiKey">The key to send; <see langword="null"/> sends none.</param>
    /// <param name="maxRetries">How many times a failed request is retried. The default of 0 makes a fault surface at once; the library's own default is 3.</param>
    /// <returns>New options.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxRetries"/> is negative.</exception>
    public StreamingCodeGeneratorOptions CreateOptions(string? apiKey = DefaultApiKey, int maxRetries = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        return new StreamingCodeGeneratorOptions
        {
            Endpoint = Endpoint,
            ApiKey = apiKey,
            Model = DefaultModel,
            MaxRetries = maxRetries,
        };
    }

    /// <summary>Creates a generator pointed at this server with <see cref="CreateOptions"/>'s defaults, after <paramref name="configure"/> changed them.</summary>
    /// <param name="configure">Changes the options (a fake clock, retries, timeouts…); may be <see langword="null"/>.</param>
    /// <returns>A new generator.</returns>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The configured options are invalid.</exception>
    public StreamingCodeGenerator CreateGenerator(Action<StreamingCodeGeneratorOptions>? configure = null)
    {
        StreamingCodeGeneratorOptions options = CreateOptions();
        configure?.Invoke(options);
        return new StreamingCodeGenerator(options);
    }

    /// <summary>
    /// Waits until request <paramref name="index"/> (0-based) has arrived with its body, for at most
    /// <see cref="OpenAITestServerOptions.WaitTimeout"/>.
    /// </summary>
    /// <param name="index">The request's 0-based index.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The request.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    /// <exception cref="TimeoutException">The request did not arrive in time; the message says how many did.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<RecordedRequest> WaitForRequestAsync(int index, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        try
        {
            return await Arrival(index).Task.WaitAsync(_options.WaitTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"Request {index} did not arrive within {_options.WaitTimeout}; {RequestCount} request(s) arrived.", ex);
        }
    }

    /// <summary>
    /// Gets a task that completes when request <paramref name="index"/> (0-based) ended before its response was complete:
    /// the client went away (cancelled, timed out, disposed the stream) or the script cut the connection. It never
    /// completes for a response that finished normally; bound your await, for example with <c>WaitAsync</c>.
    /// </summary>
    /// <param name="index">The request's 0-based index; the request need not have arrived yet.</param>
    /// <returns>The task.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is negative.</exception>
    public Task ClientDisconnected(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return Disconnect(index).Task;
    }

    /// <summary>Aborts the requests in flight and stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public ValueTask DisposeAsync() => _host.DisposeAsync();

    private static async Task<OpenAITestServer> StartCoreAsync(OpenAITestServerOptions options, Func<HttpContext, int, Task>? handler, Func<HttpContext, Task>[] scripts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options));
        if (options.WaitTimeout <= TimeSpan.Zero && options.WaitTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.WaitTimeout, "WaitTimeout must be positive or Timeout.InfiniteTimeSpan.");
        }

        var server = new OpenAITestServer(new OpenAITestServerOptions { TimeProvider = options.TimeProvider, WaitTimeout = options.WaitTimeout }, handler, scripts);
        server._host = await LoopbackHost.StartAsync(server.HandleAsync, CancellationToken.None).ConfigureAwait(false);
        server.BaseAddress = server._host.BaseAddress;
        server.Endpoint = new Uri(server.BaseAddress, "v1/");
        return server;
    }

    private TaskCompletionSource<RecordedRequest> Arrival(int index) =>
        _arrivals.GetOrAdd(index, _ => new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously));

    private TaskCompletionSource Disconnect(int index) =>
        _disconnects.GetOrAdd(index, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private async Task HandleAsync(HttpContext context)
    {
        int index = Interlocked.Increment(ref _requestCount) - 1;
        TaskCompletionSource disconnected = Disconnect(index);
        IHttpRequestLifetimeFeature? lifetime = context.Features.Get<IHttpRequestLifetimeFeature>();
        if (lifetime is not null)
        {
            context.Features.Set<IHttpRequestLifetimeFeature>(new AbortTrackingLifetime(lifetime, () => disconnected.TrySetResult()));
        }

        using CancellationTokenRegistration onAbort = context.RequestAborted.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), disconnected);
        using CancellationTokenRegistration onStop = _host.Stopping.Register(static state => ((HttpContext)state!).Abort(), context);
        try
        {
            RecordedRequest request = await RecordAsync(context, index).ConfigureAwait(false);
            context.Items[BodyItemKey] = request.Body;
            context.Features.Set(new RequestScope(request, _options.TimeProvider, _options.WaitTimeout));
            Arrival(index).TrySetResult(request);
            await NextScript(index)(context).ConfigureAwait(false);
        }
        catch (Exception ex) when (context.RequestAborted.IsCancellationRequested && ex is OperationCanceledException or IOException or ConnectionAbortedException or ConnectionResetException)
        {
            // The client went away, the script cut the connection, or the server is stopping: nothing more to send.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            // Say what went wrong where the test will see it: in the error the client reports.
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(
                SseEvents.ErrorJson($"OpenAITestServer: the script for request {index} threw {ex.GetType().Name}: {ex.Message}", "test_server_error"),
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception)
        {
            context.Abort();
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            disconnected.TrySetResult();
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context, int index)
    {
        HttpRequest http = context.Request;
        using var reader = new StreamReader(http.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues> header in http.Headers)
        {
            headers[header.Key] = string.Join(", ", header.Value.ToArray());
        }

        var request = new RecordedRequest(index, http.Method, http.PathBase.Add(http.Path).ToString(), http.QueryString.ToString(), headers, body);
        lock (_gate)
        {
            _requests.Add(index, request);
        }

        return request;
    }

    private Func<HttpContext, Task> NextScript(int index)
    {
        if (_handler is not null)
        {
            return context => _handler(context, index);
        }

        lock (_gate)
        {
            if (_scripts.TryDequeue(out Func<HttpContext, Task>? script))
            {
                _last = script;
            }

            return _last ?? (_ => throw new InvalidOperationException(
                $"No script for request {index}: pass scripts to OpenAITestServer.StartAsync or call Enqueue before the request is sent."));
        }
    }
}
