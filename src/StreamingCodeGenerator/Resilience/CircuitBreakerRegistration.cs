using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace StreamingCodeGeneration;

/// <summary>
/// The circuit breaker of a dependency-injection registration, registered the way a host registers its own resilience
/// pipelines: in the Polly resilience registry (<c>AddResiliencePipeline</c>) under the registration's name, with the
/// host's <c>ILoggerFactory</c>, <see cref="TimeProvider"/> and <c>resilience.polly.*</c> telemetry, enriched by
/// Microsoft.Extensions.Resilience (<c>AddResilienceEnricher</c>: <c>error.type</c>, <c>request.name</c>,
/// <c>request.dependency.name</c>). Every generator made from the registration shares the registry's one pipeline.
/// </summary>
internal static class CircuitBreakerRegistration
{
    /// <summary>Registers the breaker of the generator whose options are named <paramref name="optionsName"/>.</summary>
    public static void Add(IServiceCollection services, string pipelineName, string optionsName)
    {
        services.AddResilienceEnricher();
        services.AddResiliencePipeline(pipelineName, (builder, context) =>
        {
            CircuitBreakerOptions options = context.GetOptions<StreamingCodeGeneratorOptions>(optionsName).CircuitBreaker;
            builder.TimeProvider = context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
            if (options.Enabled)
            {
                CircuitBreakerStrategy.AddTo(builder, options);
            }
        });
    }

    /// <summary>The registration's breaker, from the registry; <see langword="null"/> when its options turn it off.</summary>
    public static UpstreamCircuitBreaker? Resolve(IServiceProvider services, string pipelineName, StreamingCodeGeneratorOptions options) =>
        options.CircuitBreaker is { Enabled: true }
            ? new UpstreamCircuitBreaker(services.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(pipelineName))
            : null;
}
