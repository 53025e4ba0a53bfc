using Microsoft.Extensions.Options;
using StreamingCodeGeneration.Samples;

namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// The model the service talks to: the configured one (<c>StreamingCodeGenerator:Endpoint</c>/<c>ApiKey</c>, or
/// <c>OPENAI_API_KEY</c>/<c>OPENAI_BASE_URL</c>; with <c>StreamingCodeGenerator:Provider=Anthropic</c>, <c>ANTHROPIC_API_KEY</c>/<c>ANTHROPIC_BASE_URL</c>), or, when none is configured, the offline demo — a loopback server that
/// replays a recorded answer — so <c>dotnet run</c> works on a fresh machine. Decided once, when first needed.
/// </summary>
internal sealed class Upstream : IAsyncDisposable
{
    private readonly OfflineDemo? _demo;

    public Upstream(IConfiguration configuration, IOptions<WebApiOptions> options)
    {
        IConfigurationSection section = configuration.GetSection("StreamingCodeGenerator");
        // The variables the library reads for the configured provider (its Chat Completions, Responses, Azure OpenAI or
        // Anthropic upstream); clients always speak OpenAI's Chat Completions to the service, whatever the upstream.
        (string endpointVariable, string keyVariable) = section["Provider"] switch
        {
            string p when p.Equals(nameof(ModelProvider.AzureOpenAI), StringComparison.OrdinalIgnoreCase) => ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY"),
            string p when p.Equals(nameof(ModelProvider.Anthropic), StringComparison.OrdinalIgnoreCase) => ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY"),
            _ => ("OPENAI_BASE_URL", "OPENAI_API_KEY"),
        };
        IsConfigured =
            HasValue(section["Endpoint"]) || HasValue(section["ApiKey"]) ||
            HasValue(configuration[endpointVariable]) || HasValue(configuration[keyVariable]);
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
