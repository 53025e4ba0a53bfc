using Microsoft.Extensions.Options;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// The model the service talks to: the configured one (<c>StreamingCodeGenerator:Endpoint</c>/<c>ApiKey</c>, or
/// <c>OPENAI_API_KEY</c>/<c>OPENAI_BASE_URL</c>), or, when none is configured, the offline demo — a loopback server that
/// replays a recorded answer — so <c>dotnet run</c> works on a fresh machine. Decided once, when first needed.
/// </summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly OfflineDemo? _demo;

    public Upstream(IConfiguration configuration, IOptions<WebApiOptions> options)
    {
        IConfigurationSection section = configuration.GetSection("StreamingCodeGenerator");
        bool azure = string.Equals(section["Provider"], nameof(ModelProvider.AzureOpenAI), StringComparison.OrdinalIgnoreCase);
        IsConfigured =
            HasValue(section["Endpoint"]) || HasValue(section["ApiKey"]) ||
            HasValue(configuration[azure ? "AZURE_OPENAI_ENDPOINT" : "OPENAI_BASE_URL"]) ||
            HasValue(configuration[azure ? "AZURE_OPENAI_API_KEY" : "OPENAI_API_KEY"]);
        if (!IsConfigured)
        {
            // Once, at start-up (the options' post-configuration asks): a loopback listener starts in milliseconds, on a
            // clean execution context of its own (the test server sees to that).
            _demo = OfflineDemo.StartAsync(options.Value.DemoSpeed).GetAwaiter().GetResult();
        }
    }

    /// <summary>Gets whether a real model is configured; otherwise the offline demo answers.</summary>
    public bool IsConfigured { get; }

    /// <summary>Gets the demo's endpoint, when the demo answers.</summary>
    public Uri? DemoEndpoint => _demo?.Endpoint;

    public ValueTask DisposeAsync() => _demo?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static bool HasValue(string? value) => !string.IsNullOrWhiteSpace(value);
}
