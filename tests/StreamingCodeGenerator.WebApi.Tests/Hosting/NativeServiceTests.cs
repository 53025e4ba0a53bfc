using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Hosting;

/// <summary>
/// The web service published as native code (NativeAOT), run as a process and spoken to over HTTP: every JSON type it
/// writes and every path where trimming or missing reflection could differ from the JIT build — streamed and whole
/// answers of both OpenAI APIs, health, models, the page, the OpenAPI document, bad bodies and upstream failures. Where a
/// response is compared with the JIT build's (run in memory against the same script), ids, timestamps and timings are
/// left out and everything else must be equal. Runs when <see cref="NativeService.Variable"/> names the executable (CI
/// publishes it first); ignored otherwise.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class NativeServiceTests
{
    /// <summary>Non-ASCII, an emoji (a surrogate pair), CJK and a code fence, over several chunks.</summary>
    private static readonly string[] Pieces = ["Voilà — triée 😀:\n\n", "```python title=sort.py\n", "print(sorted(['é', 'ß', '日本']))\n", "```\n", "\nFertig ✓ 🚀"];

    private static readonly string Answer = string.Concat(Pieces);

    /// <summary>The values that differ from one run to the next: ids, timestamps and timings.</summary>
    private static readonly HashSet<string> Varying =
        ["id", "item_id", "created", "created_at", "elapsed_ms", "time_to_first_chunk_ms", "tokens_per_second"];

    private const string ChatStream =
        "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Trie ça 😀\"}], \"stream\": true, \"stream_options\": {\"include_usage\": true}}";

    private static SseScript Script() => new SseScript().Role().Content(Pieces).Finish().Usage(21, 13).Done();

    [SetUp]
    public void RequireTheExecutable()
    {
        string? executable = NativeService.Executable;
        if (executable is null)
        {
            Assert.Ignore($"{NativeService.Variable} is not set. To test the native build, publish it ({NativeService.PublishCommand}) and set {NativeService.Variable} to the StreamingCodeGenerator.WebApi executable it writes.");
        }

        Assert.That(File.Exists(executable), Is.True, $"{NativeService.Variable} names {executable}, which does not exist.");
    }

    [Test]
    public async Task ChatCompletions_Streamed_IsTheExactAnswerWithTokenCountsAndDone_AsTheJitBuildWritesIt()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Script().Build());
        await NativeService.RunAsync(upstream, async service =>
        {
            using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("v1/chat/completions", ChatStream));

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
            string body = await response.Content.ReadAsStringAsync();
            EventStream.Parse(body)[^1].Data.Should().Be("[DONE]");
            body.Should().EndWith("data: [DONE]\n\n");
            EventStream.Text(body).Should().Be(Answer);

            IReadOnlyList<JsonElement> chunks = EventStream.Json(body);
            int[] tokens = [.. chunks.Where(c => c.TryGetProperty("x_scg", out _)).Select(c => c.GetProperty("x_scg").GetProperty("tokens").GetInt32())];
            tokens.Should().HaveCountGreaterThan(Pieces.Length - 1).And.BeInAscendingOrder();
            tokens[^1].Should().BePositive();
            chunks.Where(c => c.TryGetProperty("x_scg", out _)).Select(c => c.GetProperty("x_scg"))
                .Should().Contain(x => x.GetProperty("kind").GetString() == "code" && x.GetProperty("language").GetString() == "python");
            JsonElement finish = chunks[^2];
            finish.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
            finish.GetProperty("x_scg").GetProperty("stats").GetProperty("tokens").GetInt32().Should().Be(tokens[^1]);
            chunks[^1].GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(34);
            upstream.Requests.Single().Messages[^1].Content.Should().Be("Trie ça 😀");

            (await JitAsync(Script().Build(), "/v1/chat/completions", ChatStream)).Should().Equal(Shapes(body));
        });
    }

    [Test]
    public async Task ChatCompletions_Whole_IsOneCompletionWithTheExactAnswerAndUsage_AsTheJitBuildWritesIt()
    {
        const string Request = "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Trie ça\"}]}";
        await using var upstream = await OpenAITestServer.StartAsync(Script().Build());
        await NativeService.RunAsync(upstream, async service =>
        {
            using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("v1/chat/completions", Request));

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            string body = await response.Content.ReadAsStringAsync();
            JsonElement completion = JsonDocument.Parse(body).RootElement;
            completion.GetProperty("object").GetString().Should().Be("chat.completion");
            completion.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString().Should().Be(Answer);
            completion.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
            JsonElement usage = completion.GetProperty("usage");
            (usage.GetProperty("prompt_tokens").GetInt32(), usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32())
                .Should().Be((21, 13, 34));
            completion.GetProperty("x_scg").GetProperty("code_blocks")[0].GetProperty("code").GetString().Should().Be("print(sorted(['é', 'ß', '日本']))\n");

            (await JitAsync(Script().Build(), "/v1/chat/completions", Request)).Should().Equal(Shape(completion));
        });
    }

    [Test]
    public async Task Responses_Streamed_IsTheExactAnswerInOpenAIsEvents_AsTheJitBuildWritesThem()
    {
        const string Request = "{\"model\": \"gpt-4o-mini\", \"input\": \"Trie ça\", \"stream\": true}";
        await using var upstream = await OpenAITestServer.StartAsync(Script().Build());
        await NativeService.RunAsync(upstream, async service =>
        {
            using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("v1/responses", Request));

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
            string body = await response.Content.ReadAsStringAsync();
            IReadOnlyList<(string? Name, string Data)> events = EventStream.Parse(body);
            events.Select(e => e.Name).Should().StartWith(["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added"])
                .And.EndWith(["response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed"]);
            JsonElement[] data = [.. events.Select(e => JsonDocument.Parse(e.Data).RootElement)];
            data.Select(d => d.GetProperty("sequence_number").GetInt32()).Should().Equal(Enumerable.Range(0, data.Length));
            string.Concat(data.Where(d => d.GetProperty("type").GetString() == "response.output_text.delta").Select(d => d.GetProperty("delta").GetString()))
                .Should().Be(Answer);
            data[^4].GetProperty("text").GetString().Should().Be(Answer);
            JsonElement completed = data[^1].GetProperty("response");
            completed.GetProperty("status").GetString().Should().Be("completed");
            completed.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(34);

            (await JitAsync(Script().Build(), "/v1/responses", Request)).Should().Equal(Shapes(body));
        });
    }

    [Test]
    public async Task GenerateCode_IsTheExactAnswerAsPlainText()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Script().Build());
        await NativeService.RunAsync(upstream, async service =>
        {
            using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("generate-code", "{\"prompt\": \"Sort a list\", \"language\": \"python\"}"));

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.ToString().Should().Be("text/plain; charset=utf-8");
            (await response.Content.ReadAsStringAsync()).Should().Be(Answer);
        });
    }

    [Test]
    public async Task Health_IsHealthyWithEachCheckAndItsData()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await NativeService.RunAsync(upstream, async service =>
        {
            using HttpResponseMessage response = await service.Client.GetAsync("health");

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            JsonElement health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            health.GetProperty("status").GetString().Should().Be("Healthy");
            health.GetProperty("checks").GetProperty("live").GetProperty("status").GetString().Should().Be("Healthy");
            JsonElement data = health.GetProperty("checks").GetProperty("upstream").GetProperty("data");
            data.GetProperty("configured").GetBoolean().Should().BeTrue();
            data.GetProperty("model").GetString().Should().Be("gpt-4o-mini");
            data.GetProperty("endpoint").GetString().Should().Be(upstream.Endpoint.ToString());
            upstream.RequestCount.Should().Be(0);
        });
    }

    [Test]
    public async Task WithoutAModel_HealthIsDegradedAndTheOfflineDemoAnswers()
    {
        await NativeService.RunAsync(upstream: null, async service =>
        {
            JsonElement health = JsonDocument.Parse(await service.Client.GetStringAsync("health")).RootElement;
            using HttpResponseMessage answer = await service.Client.SendAsync(Json.Post("generate-code", "{\"prompt\": \"Sort a list\"}"));

            health.GetProperty("status").GetString().Should().Be("Degraded");
            health.GetProperty("checks").GetProperty("upstream").GetProperty("data").GetProperty("mode").GetString().Should().Be("offline-demo");
            answer.StatusCode.Should().Be(HttpStatusCode.OK);
            (await answer.Content.ReadAsStringAsync()).Should().Contain("```csharp title=\"BubbleSort.cs\"").And.Contain("Offline demo");
        });
    }

    [Test]
    public async Task Models_ListAndRetrieve_AreOpenAIsShapes_AndAnUnknownModelIs404()
    {
        await NativeService.RunAsync(upstream: null, async service =>
        {
            using HttpResponseMessage response = await service.Client.GetAsync("v1/models");
            using HttpResponseMessage one = await service.Client.GetAsync("v1/models/gpt-4o");
            using HttpResponseMessage unknown = await service.Client.GetAsync("v1/models/gpt-5");

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            JsonElement list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            list.GetProperty("object").GetString().Should().Be("list");
            list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).Should().Equal("gpt-4o-mini", "gpt-4o");
            list.GetProperty("data").EnumerateArray().Should().OnlyContain(m =>
                m.GetProperty("object").GetString() == "model" && m.GetProperty("created").GetInt64() > 1_600_000_000 && m.GetProperty("owned_by").GetString() == "system");
            one.StatusCode.Should().Be(HttpStatusCode.OK);
            JsonDocument.Parse(await one.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString().Should().Be("gpt-4o");
            unknown.StatusCode.Should().Be(HttpStatusCode.NotFound);
            JsonDocument.Parse(await unknown.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be("model_not_found");
        }, new Dictionary<string, string?> { ["WebApi:AllowedModels:0"] = "gpt-4o" });
    }

    [Test]
    public async Task Root_IsThePageForABrowser_AndTheWelcomeJsonForAClient()
    {
        await NativeService.RunAsync(upstream: null, async service =>
        {
            using var browser = new HttpRequestMessage(HttpMethod.Get, string.Empty);
            browser.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
            using HttpResponseMessage page = await service.Client.SendAsync(browser);
            using var client = new HttpRequestMessage(HttpMethod.Get, string.Empty);
            client.Headers.Accept.ParseAdd("application/json");
            using HttpResponseMessage welcome = await service.Client.SendAsync(client);

            page.StatusCode.Should().Be(HttpStatusCode.OK);
            page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
            (await page.Content.ReadAsStringAsync()).Should().Contain("<textarea id=\"prompt\"");
            page.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'sha256-");
            welcome.StatusCode.Should().Be(HttpStatusCode.OK);
            JsonDocument.Parse(await welcome.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()
                .Should().Be("Welcome to the Streaming Code Generator API");
        });
    }

    [Test]
    public async Task OpenApi_DocumentDescribesTheEndpoints_AndTheDocsPageIsServed()
    {
        await NativeService.RunAsync(upstream: null, async service =>
        {
            using HttpResponseMessage document = await service.Client.GetAsync("openapi/v1.json");
            using HttpResponseMessage ui = await service.Client.GetAsync("docs/index.html");

            document.StatusCode.Should().Be(HttpStatusCode.OK);
            JsonElement paths = JsonDocument.Parse(await document.Content.ReadAsStringAsync()).RootElement.GetProperty("paths");
            paths.EnumerateObject().Select(p => p.Name).Should().Contain(["/health", "/generate-code", "/v1/chat/completions", "/v1/responses", "/v1/models"]);
            paths.GetProperty("/v1/chat/completions").GetProperty("post").GetProperty("responses").GetProperty("200").GetRawText().Should().Contain("x_scg");
            ui.StatusCode.Should().Be(HttpStatusCode.OK);
            ui.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        });
    }

    [TestCase("/v1/chat/completions", "{\"messages\": [")]
    [TestCase("/v1/responses", "{\"input\": ")]
    public async Task InvalidJson_Is400InOpenAIsErrorShape_AsTheJitBuildAnswers(string route, string body)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await NativeService.RunAsync(upstream, async service =>
        {
            using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(route.TrimStart('/'), body));

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            string text = await response.Content.ReadAsStringAsync();
            JsonElement error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            error.GetProperty("code").GetString().Should().Be("invalid_json");
            error.GetProperty("type").GetString().Should().Be("invalid_request_error");
            error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
            upstream.RequestCount.Should().Be(0);

            (await JitAsync(Respond.Answer("never"), route, Encoding.UTF8.GetBytes(body))).Should().Equal(Shape(JsonDocument.Parse(text).RootElement));
        });
    }

    [Test]
    public async Task InvalidUtf8_Is400NamingTheField_AsTheJitBuildAnswers()
    {
        byte[] body = [.. "{\"messages\": [{\"role\": \"user\", \"content\": \"a"u8, 0xFF, .. "b\"}]}"u8];
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await NativeService.RunAsync(upstream, async service =>
        {
            using HttpResponseMessage response = await service.Client.SendAsync(Raw("v1/chat/completions", body));

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            string text = await response.Content.ReadAsStringAsync();
            JsonElement error = JsonDocument.Parse(text).RootElement.GetProperty("error");
            error.GetProperty("code").GetString().Should().Be("invalid_unicode");
            error.GetProperty("param").GetString().Should().Be("messages[0].content");
            error.GetProperty("type").GetString().Should().Be("invalid_request_error");
            error.GetProperty("message").GetString().Should().Contain("offset");
            upstream.RequestCount.Should().Be(0);

            (await JitAsync(Respond.Answer("never"), "/v1/chat/completions", body)).Should().Equal(Shape(JsonDocument.Parse(text).RootElement));
        });
    }

    [TestCaseSource(typeof(UpstreamFaults), nameof(UpstreamFaults.All))]
    public async Task UpstreamFailsBeforeTheFirstChunk_AnswersTheJitBuildsStatus(UpstreamFaults.Case fault)
    {
        await using var upstream = await OpenAITestServer.StartAsync(fault.Script);
        await NativeService.RunAsync(upstream, async service =>
        {
            using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("v1/chat/completions", "{\"prompt\": \"Write a sort\", \"stream\": true}"));

            await fault.ShouldBeAnsweredByAsync(response);
        }, fault.Settings);
    }

    /// <summary>The JIT build's answer to the same request against the same script, as <see cref="Shapes"/> (SSE) or <see cref="Shape"/> (JSON).</summary>
    private static Task<IReadOnlyList<string>> JitAsync(Func<Microsoft.AspNetCore.Http.HttpContext, Task> script, string route, string body) =>
        JitAsync(script, route, Encoding.UTF8.GetBytes(body));

    private static async Task<IReadOnlyList<string>> JitAsync(Func<Microsoft.AspNetCore.Http.HttpContext, Task> script, string route, byte[] body)
    {
        await using var upstream = await OpenAITestServer.StartAsync(script);
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["StreamingCodeGenerator:Model"] = "gpt-4o-mini" });
        using HttpResponseMessage response = await service.Client.SendAsync(Raw(route, body));
        string text = await response.Content.ReadAsStringAsync();
        return response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? Shapes(text) : Shape(JsonDocument.Parse(text).RootElement);
    }

    private static HttpRequestMessage Raw(string route, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, route) { Content = content };
    }

    /// <summary>Each event of a stream as its name and <see cref="Shape"/> (or its data when that is not JSON).</summary>
    private static IReadOnlyList<string> Shapes(string body) =>
        [.. EventStream.Parse(body).Select(e => (e.Name ?? "message") + " " + (e.Data.StartsWith('{') ? Shape(JsonDocument.Parse(e.Data).RootElement)[0] : e.Data))];

    /// <summary>A JSON value written out with its properties in order, the <see cref="Varying"/> values replaced by their kind.</summary>
    private static IReadOnlyList<string> Shape(JsonElement element)
    {
        var text = new StringBuilder();
        Write(element, text);
        return [text.ToString()];
    }

    private static void Write(JsonElement element, StringBuilder text)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    text.Append(property.Name).Append(':');
                    if (Varying.Contains(property.Name) && property.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number)
                    {
                        text.Append('<').Append(property.Value.ValueKind).Append('>');
                    }
                    else
                    {
                        Write(property.Value, text);
                    }

                    text.Append(',');
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Write(item, text);
                    text.Append(',');
                }

                text.Append(']');
                break;
            default:
                text.Append(element.GetRawText());
                break;
        }
    }
}
