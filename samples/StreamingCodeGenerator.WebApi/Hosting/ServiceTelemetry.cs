using OpenTelemetry;
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
        services.AddSingleton(_ => string.IsNullOrWhiteSpace(configuration[EndpointSetting])
            ? new TelemetryExport(null)
            : new TelemetryExport(OpenTelemetrySdk.Create(otel =>
            {
                otel.Services.AddSingleton(configuration);
                otel.ConfigureResource(resource => resource.AddService(configuration["OTEL_SERVICE_NAME"] ?? "StreamingCodeGenerator.WebApi"));
                otel.WithTracing(tracing => tracing.AddSource(Sources).AddOtlpExporter());
                otel.WithMetrics(metrics => metrics.AddMeter(Meters).AddOtlpExporter());
            })));
        services.AddHostedService<TelemetryStart>();
    }

    /// <summary>The running SDK, if any; disposing it (at shutdown) flushes what is left.</summary>
    internal sealed class TelemetryExport(OpenTelemetrySdk? sdk) : IDisposable
    {
        public bool IsEnabled => sdk is not null;

        public void Dispose() => sdk?.Dispose();
    }

    /// <summary>Creates the SDK at start-up, before the first request, so nothing goes unrecorded.</summary>
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
