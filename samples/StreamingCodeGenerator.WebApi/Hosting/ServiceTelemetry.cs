using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using StreamingCodeGeneration.WebApi.Diagnostics;

namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// OpenTelemetry, when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set: the library's spans and metrics (<c>StreamingCodeGenerator</c>)
/// exported over OTLP together with ASP.NET Core's, Kestrel's and HttpClient's, so one trace shows the request, the
/// generation and the call to the model. The exporter reads the standard <c>OTEL_*</c> settings from the app's
/// configuration (environment variables included).
/// </summary>
internal static class ServiceTelemetry
{
    public const string EndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    private static readonly string[] Sources = [StreamingCodeGenerator.TelemetryName, "Microsoft.AspNetCore", "System.Net.Http"];

    private static readonly string[] Meters =
    [
        StreamingCodeGenerator.TelemetryName,
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.Authentication",
        "System.Net.Http",
    ];

    public static void AddServiceTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        bool enabled = !string.IsNullOrWhiteSpace(configuration[EndpointSetting]);
        services.AddSingleton(new TelemetryExport(enabled));
        if (enabled)
        {
            // The standard hosting wiring (OpenTelemetry.Extensions.Hosting): the providers start with the host, before the
            // first request, share the host's services and configuration, and flush what is left when it stops.
            services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "StreamingCodeGenerator.WebApi"))
                .WithTracing(tracing => tracing.AddSource(Sources).AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddMeter(Meters).AddOtlpExporter());
        }

        services.AddHostedService<TelemetryStart>();
    }

    /// <summary>Whether telemetry is exported (the category of the start-up log line that says where to).</summary>
    internal sealed class TelemetryExport(bool enabled)
    {
        public bool IsEnabled => enabled;
    }

    /// <summary>Says at start-up where telemetry goes (the endpoint without user-info).</summary>
    private sealed class TelemetryStart(TelemetryExport export, IConfiguration configuration, ILogger<TelemetryExport> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            if (export.IsEnabled)
            {
                Log.Telemetry(logger, EndpointDisplay.Describe(configuration[EndpointSetting]));
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
