using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>A request the server received.</summary>
public sealed record RecordedRequest(string Path, string Body, IReadOnlyDictionary<string, string> Headers, string Query = "")
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 (Kestrel, OS-assigned port) whose every response is scripted byte by
/// byte. Request N gets script N; once the scripts run out, the last one repeats.
/// </summary>
public sealed class ScriptedOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<HttpContext, int, Task> _handler;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _disconnects = new();
    private int _requestCount;

    private ScriptedOpenAIServer(Func<HttpContext, int, Task> handler)
    {
        _handler = handler;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The key under which a request's body text is kept in <see cref="HttpContext.Items"/>.</summary>
    public const string BodyItemKey = "scripted.body";

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public int RequestCount => Volatile.Read(ref _requestCount);

    public static Task<ScriptedOpenAIServer> StartAsync(params Func<HttpContext, Task>[] scripts)
    {
        if (scripts.Length == 0)
        {
            throw new ArgumentException("Give at least one script.", nameof(scripts));
        }

        return StartAsync((context, index) => scripts[Math.Min(index, scripts.Length - 1)](context));
    }

    public static async Task<ScriptedOpenAIServer> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var server = new ScriptedOpenAIServer(handler);
        await server._app.StartAsync();
        string address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address);
        server.Endpoint = new Uri($"http://127.0.0.1:{uri.Port}/v1/");
        return server;
    }

    /// <summary>Completes when the client has gone away from request <paramref name="index"/> (0-based).</summary>
    public Task ClientDisconnected(int index) => _disconnects.GetOrAdd(index, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    private async Task HandleAsync(HttpContext context)
    {
        int index = Interlocked.Increment(ref _requestCount) - 1;
        TaskCompletionSource disconnected = _disconnects.GetOrAdd(index, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        context.RequestAborted.Register(() => disconnected.TrySetResult());
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        context.Items[BodyItemKey] = body;
        _requests.Enqueue(new RecordedRequest(context.Request.Path, body, headers, context.Request.QueryString.Value ?? string.Empty));
        try
        {
            await _handler(context, index);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            disconnected.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
