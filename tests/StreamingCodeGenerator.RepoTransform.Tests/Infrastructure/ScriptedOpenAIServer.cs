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

namespace StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

/// <summary>
/// A minimal OpenAI-compatible server on 127.0.0.1 (Kestrel, OS-assigned port): request N gets script N, the last
/// script repeats. Kept small on purpose, to be swapped for the StreamingCodeGenerator.Testing package when it lands.
/// </summary>
public sealed class ScriptedOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<HttpContext, Task>[] _scripts;
    private readonly ConcurrentQueue<string> _bodies = new();
    private int _requestCount;

    private ScriptedOpenAIServer(Func<HttpContext, Task>[] scripts)
    {
        _scripts = scripts;
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public Uri Endpoint { get; private set; } = null!;

    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>The JSON bodies of the requests received, in order.</summary>
    public IReadOnlyList<string> Bodies => _bodies.ToArray();

    public static async Task<ScriptedOpenAIServer> StartAsync(params Func<HttpContext, Task>[] scripts)
    {
        var server = new ScriptedOpenAIServer(scripts);
        await server._app.StartAsync();
        string address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Endpoint = new Uri($"http://127.0.0.1:{new Uri(address).Port}/v1/");
        return server;
    }

    /// <summary>The user message of request <paramref name="index"/> (the last message of its conversation).</summary>
    public string UserMessage(int index)
    {
        using JsonDocument body = JsonDocument.Parse(Bodies[index]);
        return body.RootElement.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        int index = Interlocked.Increment(ref _requestCount) - 1;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        _bodies.Enqueue(await reader.ReadToEndAsync());
        try
        {
            await _scripts[Math.Min(index, _scripts.Length - 1)](context);
        }
        catch (Exception ex) when ((ex is OperationCanceledException or IOException) && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away (cancelled, or stopped reading after an unsafe path): nothing more to send.
        }
    }
}
