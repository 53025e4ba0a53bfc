using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// Says whether a model is configured, without calling it (a health probe must not spend tokens): healthy with a real
/// model, degraded when the offline demo answers.
/// </summary>
internal sealed class UpstreamHealthCheck(Upstream upstream, StreamingCodeGenerator generator) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        StreamingCodeGeneratorOptions options = generator.Options;
        var data = new Dictionary<string, object>
        {
            ["configured"] = upstream.IsConfigured,
            ["mode"] = upstream.IsConfigured ? "model" : "offline-demo",
            ["model"] = options.Model,
            ["endpoint"] = EndpointDisplay.Describe(options.Endpoint ?? StreamingCodeGeneratorOptions.OpenAIEndpoint),
        };
        return Task.FromResult(upstream.IsConfigured
            ? HealthCheckResult.Healthy("A model is configured.", data)
            : HealthCheckResult.Degraded(
                "No model is configured (set OPENAI_API_KEY or OPENAI_BASE_URL, or StreamingCodeGenerator:Endpoint): the offline demo answers every prompt with a recorded answer.",
                data: data));
    }
}
