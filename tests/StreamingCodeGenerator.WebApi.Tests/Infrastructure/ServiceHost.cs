using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>
/// The web service under test, with a loopback test server as its model: in memory (TestServer), or on a real
/// 127.0.0.1 port (Kestrel) when a test needs real sockets — a browser, node, a disconnect, a shutdown.
/// </summary>
public sealed class ServiceHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly string _historyFolder;

    private ServiceHost(WebApplicationFactory<Program> factory, string historyFolder)
    {
        _factory = factory;
        _historyFolder = historyFolder;
    }

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Gets the service's base address (http://127.0.0.1:PORT/ with Kestrel).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts the service. Settings default to: the upstream's endpoint and key, no retries, no rate limit, a history
    /// file in a temporary folder; <paramref name="settings"/> override or add (a null value removes a key's value).
    /// <paramref name="logs"/> receives every log line at every level; <paramref name="time"/> replaces the service's clock.
    /// </summary>
    public static async Task<ServiceHost> StartAsync(
        OpenAITestServer? upstream,
        IDictionary<string, string?>? settings = null,
        bool kestrel = false,
        RecordingLoggerProvider? logs = null,
        TimeProvider? time = null)
    {
        string history = Path.Combine(Path.GetTempPath(), "scg-webapi-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(history);
        var all = new Dictionary<string, string?>
        {
            ["StreamingCodeGenerator:Endpoint"] = upstream?.Endpoint.ToString(),
            ["StreamingCodeGenerator:ApiKey"] = upstream is null ? null : OpenAITestServer.DefaultApiKey,
            ["StreamingCodeGenerator:MaxRetries"] = "0",
            ["WebApi:RateLimit:Enabled"] = "false",
            ["WebApi:Runs:History"] = Path.Combine(history, "history.db"),
            ["WebApi:DemoSpeed"] = "1000",
            ["OPENAI_API_KEY"] = null,
            ["OPENAI_BASE_URL"] = null,
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        WebApplicationFactory<Program> factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(all));

            // The telemetry settings are read while services are registered (as OpenTelemetry's hosting extension wants),
            // before ConfigureAppConfiguration applies: host settings reach the app's configuration from the start, as
            // environment variables do in production.
            foreach ((string key, string? value) in all.Where(s => s.Key.StartsWith("OTEL_", StringComparison.Ordinal) && s.Value is not null))
            {
                web.UseSetting(key, value);
            }

            web.ConfigureLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Warning);
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                    logging.AddFilter<RecordingLoggerProvider>(null, LogLevel.Trace);
                }
            });
            if (time is not null)
            {
                web.ConfigureTestServices(services => services.AddSingleton(time));
            }
        });
        if (kestrel)
        {
            factory.UseKestrel(kestrelOptions => kestrelOptions.Listen(System.Net.IPAddress.Loopback, 0));
        }

        var host = new ServiceHost(factory, history);
        if (kestrel)
        {
            factory.StartServer();
            string address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            host.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
            host.Client = new HttpClient { BaseAddress = host.BaseAddress };
        }
        else
        {
            host.Client = factory.CreateClient();
            host.BaseAddress = host.Client.BaseAddress!;
        }

        await Task.CompletedTask;
        return host;
    }

    /// <summary>
    /// Stops the host gracefully, as SIGTERM would (running streams get the grace period), and returns when it has stopped.
    /// The service's entry point may still be disposing its services then (WebApplicationFactory does not wait for it):
    /// what happens on disposal, such as telemetry's last export, is awaited where it arrives.
    /// </summary>
    public async Task StopAsync() => await _factory.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        try
        {
            Directory.Delete(_historyFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
