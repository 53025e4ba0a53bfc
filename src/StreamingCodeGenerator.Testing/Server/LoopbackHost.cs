using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// Kestrel on 127.0.0.1 with an OS-assigned port and nothing else: no configuration files, no environment variables,
/// no logging, no <c>Server</c> header, so a test project's own settings cannot change what the server does.
/// </summary>
internal sealed class LoopbackHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    private LoopbackHost(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    /// <summary>The server's root, <c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Cancelled when the host starts stopping; every request in flight is aborted then.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>
    /// Builds and starts the host on a clean execution context: nothing ambient of the caller's (an
    /// <see cref="System.Diagnostics.Activity"/>, <see cref="AsyncLocal{T}"/> values) flows into it. A test host such as
    /// <c>WebApplicationFactory</c> recognises "its" host by an async-local while it listens for hosts being built, so a
    /// server started from inside the application under test (an offline demo upstream, say) would otherwise be taken for
    /// the application itself.
    /// </summary>
    public static Task<LoopbackHost> StartAsync(RequestDelegate handler, CancellationToken cancellationToken)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(() => StartOnCleanContextAsync(handler, cancellationToken), cancellationToken);
        }
    }

    private static async Task<LoopbackHost> StartOnCleanContextAsync(RequestDelegate handler, CancellationToken cancellationToken)
    {
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Listen(IPAddress.Loopback, 0);
        });
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(5));
        WebApplication app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackHost(app, new Uri($"http://127.0.0.1:{new Uri(address).Port}/"));
    }

    /// <summary>
    /// Aborts the requests in flight (a stalled script would otherwise hold the shutdown for its whole timeout), then
    /// stops Kestrel.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }
}
