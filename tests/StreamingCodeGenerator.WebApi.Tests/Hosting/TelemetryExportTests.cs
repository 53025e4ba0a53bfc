using System.Net;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Hosting;

/// <summary>
/// With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, the service exports over real OTLP (HTTP, protobuf) to a loopback
/// collector: the library's spans and metrics arrive beside ASP.NET Core's, and stopping the service flushes them.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class TelemetryExportTests
{
    [Test]
    public async Task OtlpEndpoint_OneChatCompletion_TheCollectorReceivesTheLibrarysSpansAndMetrics()
    {
        await using var collector = await OpenAITestServer.StartAsync(Respond.Status(200, string.Empty, "application/x-protobuf"));
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("Hello"));
        await using (var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.AbsoluteUri.TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "scg-telemetry-test",
        }))
        {
            using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"));
            response.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        // Stopping the host flushes both providers, but not always before the factory returns: WebApplicationFactory runs
        // the service's entry point, which disposes the host (and so flushes) on its own thread once the host has stopped.
        // So wait for the exports, a request at a time, until both have arrived or none more comes.
        for (int index = 0; !Exported(collector, "/v1/traces") || !Exported(collector, "/v1/metrics"); index++)
        {
            try
            {
                await collector.WaitForRequestAsync(index);
            }
            catch (TimeoutException)
            {
                break; // The assertions below say what is missing.
            }
        }

        RecordedRequest[] traces = collector.Requests.Where(r => r.Path == "/v1/traces").ToArray();
        traces.Should().NotBeEmpty("the service's spans are exported when it stops");
        string traceBodies = string.Concat(traces.Select(t => t.Body));
        traceBodies.Should().Contain(StreamingCodeGenerator.TelemetryName, "the library's activity source is exported")
            .And.Contain("scg-telemetry-test", "the resource names the service");
        string metricBodies = string.Concat(collector.Requests.Where(r => r.Path == "/v1/metrics").Select(m => m.Body));
        metricBodies.Should().Contain(StreamingCodeGenerator.TelemetryName, "the library's meter is exported");
    }

    private static bool Exported(OpenAITestServer collector, string path) =>
        collector.Requests.Any(r => r.Path == path && r.Body.Contains(StreamingCodeGenerator.TelemetryName, StringComparison.Ordinal));
}
