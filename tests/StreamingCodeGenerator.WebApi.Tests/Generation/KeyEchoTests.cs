using System.Text;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Generation;

/// <summary>
/// A model provider that echoes the service's own key encoded — base64 of <c>Bearer KEY</c> or of <c>user:KEY</c>,
/// URL-safe base64, hex — in an error, an error event or a broken line (whose excerpt the library keeps): the echo reaches neither the client nor the log.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class KeyEchoTests
{
    private const string Key = OpenAITestServer.DefaultApiKey;

    public static IEnumerable<TestCaseData> Cases()
    {
        string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + Key));
        string bearerUrl = Convert.ToBase64String(Encoding.UTF8.GetBytes("Bearer " + Key)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
        string hex = Convert.ToHexString(Encoding.UTF8.GetBytes(Key)).ToLowerInvariant();
        foreach ((string route, string body) in new[] { ("/generate-code", "{\"prompt\": \"x\"}"), ("/v1/chat/completions", "{\"prompt\": \"x\", \"stream\": true}") })
        {
            yield return new TestCaseData(route, body, basic, new[] { Respond.Error(401, "Invalid credentials: Basic " + basic) })
                .SetName($"{route}_Base64OfBasicCredentialsInA401_IsNeitherAnsweredNorLogged");
            yield return new TestCaseData(route, body, bearerUrl, new[] { Respond.Sse(SseEvents.Role(), SseEvents.Content("a"), SseEvents.ErrorEvent("bad header " + bearerUrl)) })
                .SetName($"{route}_Base64UrlOfBearerHeaderInAnErrorEvent_IsNeitherAnsweredNorLogged");
            yield return new TestCaseData(route, body, hex, new[] { Respond.Error(403, "Forbidden for key " + hex) })
                .SetName($"{route}_HexOfKeyInA403_IsNeitherAnsweredNorLogged");
            yield return new TestCaseData(route, body, hex.ToUpperInvariant(), new[] { Respond.Sse(SseEvents.Role(), SseEvents.Content("a"), SseEvents.Data("{\"broken\": \"" + hex.ToUpperInvariant())) })
                .SetName($"{route}_HexOfKeyInABrokenLine_IsNeitherAnsweredNorLogged");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task EncodedKeyEcho_IsNeitherAnsweredNorLogged(string route, string body, string echo, Func<Microsoft.AspNetCore.Http.HttpContext, Task>[] script)
    {
        await using var upstream = await OpenAITestServer.StartAsync(script);
        var logs = new RecordingLoggerProvider();
        await using var service = await ServiceHost.StartAsync(upstream, logs: logs);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(route, body));
        string answer = await response.Content.ReadAsStringAsync();

        upstream.RequestCount.Should().BeGreaterThan(0);
        logs.Entries.Should().Contain(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning, "the failure is logged");
        string middle = echo.Substring((echo.Length / 2) - 8, 16);
        foreach (string fragment in new[] { echo, middle, Key })
        {
            answer.Should().NotContain(fragment);
            logs.AllText.Should().NotContain(fragment);
        }
    }
}
