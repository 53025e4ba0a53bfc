using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FluentAssertions.Execution;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Requests;

/// <summary>
/// A JSON string that is not Unicode text — a lone surrogate escape, or bytes that are not UTF-8 — in any string of any
/// POST route, value or property name, is a 400 in the route's error shape naming the field; it never reaches the
/// model. The bodies are sent as raw bytes, built from one valid body per route with each string replaced in turn.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class InvalidTextTests
{
    /// <summary>The string contents that are not text: escapes as written in JSON, and raw bytes.</summary>
    private static readonly (string Name, byte[] Bytes)[] Forms =
    [
        ("lone high surrogate", Encoding.ASCII.GetBytes(@"\ud800")),
        ("lone low surrogate", Encoding.ASCII.GetBytes(@"\udc00")),
        ("high surrogate then a letter", Encoding.ASCII.GetBytes(@"\ud800x")),
        ("high surrogate then an escaped letter", Encoding.ASCII.GetBytes(@"ok \ud800\u0041")),
        ("two high surrogates", Encoding.ASCII.GetBytes(@"\ud83d\ud83d\ude00")),
        ("byte FF", [(byte)'a', 0xFF, (byte)'b']),
        ("overlong slash C0 AF", [0xC0, 0xAF]),
        ("truncated three-byte sequence", [(byte)'x', 0xE2, 0x82]),
        ("encoded surrogate ED A0 80", [0xED, 0xA0, 0x80]),
    ];

    private static readonly (string Path, bool OpenAI, string Body)[] Routes =
    [
        ("/generate-code", false, "{\"prompt\": \"Sort a list\", \"language\": \"python\"}"),
        ("/v1/chat/completions", true,
            "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"system\", \"content\": \"Be brief\"}, " +
            "{\"role\": \"user\", \"content\": [{\"type\": \"text\", \"text\": \"Sort a list\"}], \"name\": \"alice\"}], " +
            "\"prompt\": \"and reverse it\", \"stop\": [\"END\", \"STOP\"], \"language\": \"python\", \"stream\": false, " +
            "\"stream_options\": {\"include_usage\": true}, \"temperature\": 0.5, \"max_tokens\": 100, \"user\": \"u-1\"}"),
        ("/run", false, "{\"repoUrl\": \"https://git.invalid/owner/repo.git\", \"prompt\": \"Add type hints\"}"),
        ("/run/stream", false, "{\"repoUrl\": \"https://git.invalid/owner/repo.git\", \"prompt\": \"Add type hints\"}"),
    ];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach ((string path, bool openAI, string body) in Routes)
        {
            foreach ((string name, byte[] bytes) in Forms)
            {
                yield return new TestCaseData(path, openAI, body, bytes).SetName($"Post_{path}_{name}_InEveryString_Is400NamingTheField");
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Post_StringThatIsNotText_Is400InTheRoutesShapeNamingTheField(string route, bool openAI, string template, byte[] form)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);
        List<Site> sites = BodyWriter.Sites(template);
        sites.Should().HaveCountGreaterThan(3);

        using (new AssertionScope())
        {
            foreach (Site site in sites)
            {
                byte[] body = BodyWriter.Write(template, site, form);
                using HttpResponseMessage response = await service.Client.SendAsync(Post(route, body));
                string text = await response.Content.ReadAsStringAsync();
                string because = $"{(site.IsName ? "the name" : "the value")} at {site.Path} was replaced: {Encoding.UTF8.GetString(body)}";

                response.StatusCode.Should().Be(HttpStatusCode.BadRequest, because);
                if (response.StatusCode != HttpStatusCode.BadRequest)
                {
                    continue;
                }

                JsonElement error = JsonDocument.Parse(text).RootElement;
                if (openAI)
                {
                    response.Content.Headers.ContentType!.MediaType.Should().Be("application/json", because);
                    error = error.GetProperty("error");
                    error.GetProperty("type").GetString().Should().Be("invalid_request_error", because);
                }
                else
                {
                    response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json", because);
                    error.GetProperty("status").GetInt32().Should().Be(400, because);
                }

                string expected = site.IsName ? site.Path + "[\"" + Encoding.UTF8.GetString(form) + "\"]" : site.Path;
                error.GetProperty("code").GetString().Should().Be("invalid_unicode", because);
                error.GetProperty("param").GetString().Should().Be(expected, because);
                error.GetProperty(openAI ? "message" : "detail").GetString().Should()
                    .Contain(site.IsName ? "property name" : "'" + site.Path + "'", because)
                    .And.Contain("offset", because);
            }
        }

        upstream.RequestCount.Should().Be(0);
    }

    [TestCase("/generate-code", "{\"prompt\": \"Sort these: \\ud83d\\ude00 and 😀 and \\u00e9\"}")]
    [TestCase("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Sort these: \\ud83d\\ude00 and 😀 and \\u00e9\"}]}")]
    public async Task Post_SurrogatePairsAndEscapes_AreText(string route, string json)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Post(route, Encoding.UTF8.GetBytes(json)));

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        upstream.Requests.Single().Messages[^1].Content.Should().Be("Sort these: 😀 and 😀 and é");
    }

    [TestCase("/generate-code", "{\"prompt\": \"a\", \"prompt\": \"b\"}", "prompt")]
    [TestCase("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"role\": \"system\", \"content\": \"x\"}]}", "messages[0].role")]
    [TestCase("/run", "{\"repoUrl\": \"https://git.invalid/a.git\", \"prompt\": \"a\", \"pro\\u006dpt\": \"b\"}", "prompt")]
    public async Task Post_PropertyGivenTwice_Is400NamingIt(string route, string json, string param)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Post(route, Encoding.UTF8.GetBytes(json)));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        JsonElement error = route.StartsWith("/v1/", StringComparison.Ordinal) ? body.GetProperty("error") : body;
        error.GetProperty("code").GetString().Should().Be("duplicate_property");
        error.GetProperty("param").GetString().Should().Be(param);
        upstream.RequestCount.Should().Be(0);
    }

    private static HttpRequestMessage Post(string route, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
    }

    /// <summary>One string in a body: a value, or a property name, and its path (<c>messages[1].content[0].text</c>).</summary>
    public sealed record Site(int Number, string Path, bool IsName);

    /// <summary>Writes a body again, byte for byte, with one of its strings replaced by raw bytes.</summary>
    private static class BodyWriter
    {
        public static List<Site> Sites(string template)
        {
            var sites = new List<Site>();
            using JsonDocument document = JsonDocument.Parse(template);
            Walk(document.RootElement, string.Empty, sites, output: null, target: null, form: null);
            return sites;
        }

        public static byte[] Write(string template, Site target, byte[] form)
        {
            using JsonDocument document = JsonDocument.Parse(template);
            var output = new MemoryStream();
            Walk(document.RootElement, string.Empty, [], output, target, form);
            return output.ToArray();
        }

        private static void Walk(JsonElement element, string path, List<Site> sites, MemoryStream? output, Site? target, byte[]? form)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    Write(output, "{");
                    bool first = true;
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        Write(output, first ? string.Empty : ", ");
                        first = false;
                        String(property.Name, new Site(sites.Count, path, IsName: true), sites, output, target, form);
                        Write(output, ": ");
                        Walk(property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, sites, output, target, form);
                    }

                    Write(output, "}");
                    break;
                case JsonValueKind.Array:
                    Write(output, "[");
                    int index = 0;
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        Write(output, index == 0 ? string.Empty : ", ");
                        Walk(item, $"{path}[{index}]", sites, output, target, form);
                        index++;
                    }

                    Write(output, "]");
                    break;
                case JsonValueKind.String:
                    String(element.GetString()!, new Site(sites.Count, path, IsName: false), sites, output, target, form);
                    break;
                default:
                    Write(output, element.GetRawText());
                    break;
            }
        }

        private static void String(string text, Site site, List<Site> sites, MemoryStream? output, Site? target, byte[]? form)
        {
            sites.Add(site);
            if (output is null)
            {
                return;
            }

            if (site == target)
            {
                output.WriteByte((byte)'"');
                output.Write(form);
                output.WriteByte((byte)'"');
            }
            else
            {
                Write(output, JsonSerializer.Serialize(text));
            }
        }

        private static void Write(MemoryStream? output, string text) => output?.Write(Encoding.UTF8.GetBytes(text));
    }
}
