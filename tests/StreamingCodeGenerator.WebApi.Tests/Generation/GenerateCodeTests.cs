using System.Net;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Generation;

[Parallelizable(ParallelScope.All)]
public sealed class GenerateCodeTests
{
    [Test]
    public async Task GenerateCode_StreamedAnswer_IsTheExactTextAsPlainText()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("Here:\n\n```python title=\"sort.py\"\n", "print(sorted([3, 1]))\n", "```\n", "Done. ✓"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/generate-code", "{\"prompt\": \"Sort a list\", \"language\": \"python\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Be("text/plain; charset=utf-8");
        response.Headers.CacheControl!.NoCache.Should().BeTrue();
        response.Headers.GetValues("X-Accel-Buffering").Should().Equal("no");
        (await response.Content.ReadAsStringAsync()).Should().Be("Here:\n\n```python title=\"sort.py\"\nprint(sorted([3, 1]))\n```\nDone. ✓");
        RecordedRequest sent = upstream.Requests.Single();
        sent.Messages[^1].Content.Should().Be("Sort a list");
        sent.Messages[0].Role.Should().Be("system");
        sent.Messages[0].Content.Should().Contain("python");
    }

    [Test]
    public async Task GenerateCode_PathWithTrailingSlash_IsServed()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/generate-code/", "{\"prompt\": \"x\"}"));

        (await response.Content.ReadAsStringAsync()).Should().Be("ok");
    }

    public static IEnumerable<TestCaseData> InvalidRequests()
    {
        yield return new TestCaseData(null, "application/json", 400, "missing_body", null).SetName("no body");
        yield return new TestCaseData("{\"prompt\": ", "application/json", 400, "invalid_json", null).SetName("malformed JSON");
        yield return new TestCaseData("[\"prompt\"]", "application/json", 400, "invalid_json", null).SetName("not an object");
        yield return new TestCaseData("{\"prompt\": 42}", "application/json", 400, "invalid_type", "prompt").SetName("prompt of the wrong type");
        yield return new TestCaseData("{\"prompt\": \"x\", \"language\": [\"py\"]}", "application/json", 400, "invalid_type", "language").SetName("language of the wrong type");
        yield return new TestCaseData("{\"invalid_key\": \"Write a sort\"}", "application/json", 400, "missing_prompt", "prompt").SetName("a payload without a prompt");
        yield return new TestCaseData("{\"prompt\": \"   \"}", "application/json", 400, "empty_prompt", "prompt").SetName("empty prompt");
        yield return new TestCaseData("{\"prompt\": \"" + new string('x', 5001) + "\"}", "application/json", 400, "prompt_too_long", "prompt").SetName("prompt over the limit");
        yield return new TestCaseData("{\"prompt\": \"" + new string('x', 300_000) + "\"}", "application/json", 413, "request_too_large", null).SetName("body over the size limit");
        yield return new TestCaseData("{\"prompt\": \"x\"}", "text/plain", 415, "unsupported_media_type", null).SetName("not JSON");
    }

    [TestCaseSource(nameof(InvalidRequests))]
    public async Task GenerateCode_InvalidRequest_IsProblemDetailsAndNeverReachesTheModel(string? body, string contentType, int status, string code, string? param)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpRequestMessage request = body is null ? Json.PostWithoutBody("/generate-code") : Json.PostAs("/generate-code", body, contentType);
        using HttpResponseMessage response = await service.Client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        problem.GetProperty("status").GetInt32().Should().Be(status);
        problem.GetProperty("code").GetString().Should().Be(code);
        problem.GetProperty("detail").GetString().Should().NotBeNullOrWhiteSpace();
        if (param is not null)
        {
            problem.GetProperty("param").GetString().Should().Be(param);
        }

        upstream.RequestCount.Should().Be(0);
    }

    [TestCaseSource(typeof(UpstreamFaults), nameof(UpstreamFaults.All))]
    public async Task GenerateCode_UpstreamFailsBeforeTheFirstChunk_AnswersItsOwnStatus(UpstreamFaults.Case fault)
    {
        await using var upstream = await OpenAITestServer.StartAsync(fault.Script);
        await using var service = await ServiceHost.StartAsync(upstream, fault.Settings);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/generate-code", "{\"prompt\": \"Write a sort\"}"));

        ((int)response.StatusCode).Should().Be(fault.Status);
        string body = await response.Content.ReadAsStringAsync();
        JsonElement problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("code").GetString().Should().Be(fault.Code);
        if (fault.RetryAfter is not null)
        {
            response.Headers.GetValues("Retry-After").Should().Equal(fault.RetryAfter);
        }

        // The upstream's own words (which name the service's account and key) never reach the caller.
        body.Should().NotContain("Incorrect API key").And.NotContain("sk-test").And.NotContain("organization").And.NotContain("<html");
    }

    [Test]
    public async Task GenerateCode_UpstreamErrorEventMidStream_EndsWithAMarkedErrorLine()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("def f():\n", "    return 1").ErrorEvent("overloaded").Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/generate-code", "{\"prompt\": \"f\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be(
            "def f():\n    return 1\n\n[error] upstream_error: The model provider reported an error in its stream.\n");
    }

    [Test]
    public async Task GenerateCode_UpstreamGoesQuietMidStream_EndsWithATimeoutLine()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("partial line\n").Stall().Build());
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["StreamingCodeGenerator:IdleTimeout"] = "00:00:00.3" });

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/generate-code", "{\"prompt\": \"f\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Be("partial line\n\n[error] upstream_timeout: The model stopped sending for 300 ms.\n");
    }

    [Test]
    public async Task GenerateCode_ClientDisconnects_CancelsTheUpstreamRequest()
    {
        var firstRead = new TaskCompletionSource();
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("first ").Stall().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        using (HttpResponseMessage response = await service.Client.SendAsync(Json.Post("generate-code", "{\"prompt\": \"f\"}"), HttpCompletionOption.ResponseHeadersRead))
        {
            await using Stream body = await response.Content.ReadAsStreamAsync();
            byte[] buffer = new byte[64];
            int read = await body.ReadAsync(buffer);
            System.Text.Encoding.UTF8.GetString(buffer, 0, read).Should().Be("first ");
        }

        await upstream.ClientDisconnected(0).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
