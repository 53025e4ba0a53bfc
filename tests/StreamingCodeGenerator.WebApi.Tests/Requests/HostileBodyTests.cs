using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Requests;

/// <summary>
/// Bodies an attacker (or an odd tool) sends: each is answered in the route's shape with a 4xx naming what is wrong,
/// never a 500, never echoing a whole body back; a byte order mark is tolerated.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class HostileBodyTests
{
    [TestCase("/generate-code")]
    [TestCase("/v1/chat/completions")]
    public async Task Post_BodyWithAUtf8ByteOrderMark_IsRead(string route)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Post(route, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("{\"prompt\": \"Sort a list\"}")]));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        upstream.Requests.Single().Messages[^1].Content.Should().Be("Sort a list");
    }

    [Test]
    public async Task Post_ByteOrderMarkThenAByteThatIsNotUtf8_CountsTheOffsetFromTheBodysStart()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);

        using HttpResponseMessage response = await service.Client.SendAsync(Post("/generate-code", [0xEF, 0xBB, 0xBF, .. "{\"prompt\": \""u8, 0xFF, .. "\"}"u8]));

        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("code").GetString().Should().Be("invalid_unicode");
        problem.GetProperty("detail").GetString().Should().Contain("0xFF at offset 15 ");
    }

    [TestCase("{\"messages\": [{\"role\": \"ROLE\", \"content\": \"x\"}]}", "messages[0].role")]
    [TestCase("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"ROLE\"}]}]}", "messages[0].content[0]")]
    public async Task Post_LongUnsupportedValue_IsNamedButNotEchoedWhole(string template, string param)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);
        string value = new('r', 200_000);

        using HttpResponseMessage response = await service.Client.SendAsync(Post("/v1/chat/completions", Encoding.UTF8.GetBytes(template.Replace("ROLE", value, StringComparison.Ordinal))));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        error.GetProperty("param").GetString().Should().Be(param);
        error.GetProperty("message").GetString()!.Length.Should().BeLessThan(300).And.BeGreaterThan(0);
        error.GetProperty("message").GetString().Should().Contain(new string('r', 40) + "…");
    }

    public static IEnumerable<TestCaseData> Hostile()
    {
        yield return Case("deep nesting", "{\"prompt\": \"x\", \"a\": " + new string('[', 100_000) + new string(']', 100_000) + "}", 400, "invalid_json", null);
        yield return Case("UTF-16 body", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("{\"prompt\": \"x\"}")).ToArray(), 400, "invalid_json", null);
        yield return Case("max_tokens past double", "{\"prompt\": \"x\", \"max_tokens\": 1e400}", 400, "invalid_max_tokens", "max_tokens");
        yield return Case("max_tokens past int", "{\"prompt\": \"x\", \"max_tokens\": 2147483648}", 400, "invalid_max_tokens", "max_tokens");
        yield return Case("max_tokens with 10,000 digits", "{\"prompt\": \"x\", \"max_tokens\": " + new string('9', 10_000) + "}", 400, "invalid_max_tokens", "max_tokens");
        yield return Case("max_tokens fractional", "{\"prompt\": \"x\", \"max_completion_tokens\": 1.5}", 400, "invalid_max_tokens", "max_completion_tokens");
        yield return Case("temperature past double", "{\"prompt\": \"x\", \"temperature\": 1e400}", 400, "invalid_temperature", "temperature");
        yield return Case("temperature negative past double", "{\"prompt\": \"x\", \"temperature\": -1e400}", 400, "invalid_temperature", "temperature");
        yield return Case("n past double", "{\"prompt\": \"x\", \"n\": 1e400}", 400, "unsupported_parameter", "n");
        yield return Case("trailing comma", "{\"prompt\": \"x\",}", 400, "invalid_json", null);
        yield return Case("comment", "{\"prompt\": \"x\" /* c */}", 400, "invalid_json", null);
        yield return Case("20,000 ignored properties", "{" + string.Join(',', Enumerable.Range(0, 20_000).Select(i => $"\"k{i}\": 1")) + ", \"prompt\": \"\"}", 400, "empty_prompt", "prompt");
    }

    [TestCaseSource(nameof(Hostile))]
    public async Task Post_HostileBody_Is4xxInTheOpenAIShape(byte[] body, int status, string code, string? param)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Post("/v1/chat/completions", body));

        ((int)response.StatusCode).Should().Be(status);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be(code);
        (error.GetProperty("param").ValueKind == JsonValueKind.Null ? null : error.GetProperty("param").GetString()).Should().Be(param);
        upstream.RequestCount.Should().Be(0);
    }

    private static TestCaseData Case(string name, string body, int status, string code, string? param) => Case(name, Encoding.UTF8.GetBytes(body), status, code, param);

    private static TestCaseData Case(string name, byte[] body, int status, string code, string? param) =>
        new TestCaseData(body, status, code, param).SetName($"Post_HostileBody_{name}_Is{status}");

    private static HttpRequestMessage Post(string route, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
    }
}
