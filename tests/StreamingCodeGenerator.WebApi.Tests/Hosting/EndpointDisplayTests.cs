using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Hosting;

/// <summary>
/// The model's endpoint may carry credentials (<c>OPENAI_BASE_URL=https://user:password@host/v1</c>) or a key in its
/// query: <c>/health</c> and the log show scheme, host, port and path only.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class EndpointDisplayTests
{
    private static readonly string[] Secrets = ["alice", "s3cret-pass", "q-secret-key", "frag-secret"];

    [Test]
    public async Task Health_AndStartupLog_ShowTheEndpointWithoutUserInfoOrQuery()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        var logs = new RecordingLoggerProvider();
        string withSecrets = $"http://alice:s3cret-pass@127.0.0.1:{upstream.Endpoint.Port}/v1/?api_key=q-secret-key#frag-secret";
        await using var service = await ServiceHost.StartAsync(
            upstream,
            new Dictionary<string, string?> { ["StreamingCodeGenerator:Endpoint"] = withSecrets },
            logs: logs);

        string health = await service.Client.GetStringAsync("/health");

        string shown = $"http://127.0.0.1:{upstream.Endpoint.Port}/v1/";
        JsonDocument.Parse(health).RootElement.GetProperty("checks").GetProperty("upstream").GetProperty("data")
            .GetProperty("endpoint").GetString().Should().Be(shown);
        logs.Entries.Should().Contain(e => e.Category.EndsWith("Upstream", StringComparison.Ordinal) && e.Id.Id == 2 && e.Message.Contains(shown), "the start-up line names the endpoint");
        foreach (string secret in Secrets)
        {
            health.Should().NotContain(secret);
            logs.AllText.Should().NotContain(secret);
        }
    }

    [Test]
    public async Task StartupLog_ShowsTheTelemetryEndpointWithoutUserInfoOrQuery()
    {
        var logs = new RecordingLoggerProvider();
        await using var service = await ServiceHost.StartAsync(
            upstream: null,
            new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://alice:s3cret-pass@127.0.0.1:9/?token=q-secret-key" },
            logs: logs);

        (await service.Client.GetAsync("/health")).EnsureSuccessStatusCode();

        logs.Entries.Should().Contain(e => e.Category.EndsWith("TelemetryExport", StringComparison.Ordinal) && e.Id.Id == 9 && e.Message.Contains("http://127.0.0.1:9/"));
        foreach (string secret in Secrets)
        {
            logs.AllText.Should().NotContain(secret);
        }
    }

    [Test]
    public async Task FailureLog_ForAnEndpointWithoutV1_SuggestsTheEndpointWithoutUserInfo()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Error(404, "Not Found"));
        var logs = new RecordingLoggerProvider();
        await using var service = await ServiceHost.StartAsync(
            upstream,
            new Dictionary<string, string?> { ["StreamingCodeGenerator:Endpoint"] = $"http://alice:s3cret-pass@127.0.0.1:{upstream.Endpoint.Port}/" },
            logs: logs);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/generate-code", "{\"prompt\": \"x\"}"));

        ((int)response.StatusCode).Should().Be(502);
        logs.Entries.Should().Contain(e => e.Message.Contains($"usually http://127.0.0.1:{upstream.Endpoint.Port}/v1"), "the failure is logged with the library's hint");
        foreach (string secret in Secrets)
        {
            logs.AllText.Should().NotContain(secret);
            (await response.Content.ReadAsStringAsync()).Should().NotContain(secret);
        }
    }
}
