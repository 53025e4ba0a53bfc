using System.Net;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.OpenAI;

[Parallelizable(ParallelScope.All)]
public sealed class ChatCompletionsTests
{
    private const string Answer = "Sorted:\n\n```python title=sort.py\nprint(sorted(xs))\n```\n\nThat is all.";

    private static SseScript Script() => new SseScript().Role().Content("Sorted:\n\n").CodeBlock("python", "print(sorted(xs))\n", "sort.py").Content("\nThat is all.").Finish().Usage(21, 13).Done();

    [Test]
    public async Task Stream_Answer_IsOpenAIChunksWithIdsUsageAndDone()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Script().Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(
            "/v1/chat/completions",
            "{\"model\": \"gpt-4o-mini\", \"messages\": [{\"role\": \"user\", \"content\": \"Sort xs\"}], \"stream\": true, \"stream_options\": {\"include_usage\": true}}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        response.Headers.CacheControl!.NoCache.Should().BeTrue();
        response.Headers.GetValues("X-Accel-Buffering").Should().Equal("no");
        string body = await response.Content.ReadAsStringAsync();
        EventStream.Parse(body)[^1].Data.Should().Be("[DONE]");
        EventStream.Text(body).Should().Be(Answer);

        IReadOnlyList<JsonElement> chunks = EventStream.Json(body);
        chunks.Select(c => c.GetProperty("id").GetString()).Distinct().Should().ContainSingle().Which.Should().StartWith("chatcmpl-");
        chunks.Should().OnlyContain(c => c.GetProperty("object").GetString() == "chat.completion.chunk" && c.GetProperty("created").GetInt64() > 1_600_000_000);
        chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString().Should().Be("assistant");
        JsonElement code = chunks.First(c => c.TryGetProperty("x_scg", out JsonElement x) && x.GetProperty("kind").GetString() == "code").GetProperty("x_scg");
        code.GetProperty("language").GetString().Should().Be("python");
        code.GetProperty("file_name").GetString().Should().Be("sort.py");
        JsonElement finish = chunks[^2];
        finish.GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
        finish.GetProperty("x_scg").GetProperty("stats").GetProperty("tokens").GetInt32().Should().BeGreaterThan(0);
        JsonElement usage = chunks[^1];
        usage.GetProperty("choices").GetArrayLength().Should().Be(0);
        usage.GetProperty("usage").GetProperty("prompt_tokens").GetInt32().Should().Be(21);
        usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32().Should().Be(13);
        usage.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(34);
    }

    [Test]
    public async Task Stream_WithoutIncludeUsage_HasNoUsageChunk()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Script().Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"Sort xs\", \"stream\": true}"));

        IReadOnlyList<JsonElement> chunks = EventStream.Json(await response.Content.ReadAsStringAsync());
        chunks.Should().OnlyContain(c => c.GetRawText().IndexOf("\"usage\"", StringComparison.Ordinal) < 0);
        chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString().Should().Be("stop");
    }

    [Test]
    public async Task NoStream_Answer_IsOneChatCompletionWithItsCodeBlocks()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Script().Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"messages\": [{\"role\": \"user\", \"content\": \"Sort xs\"}]}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonElement completion = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        completion.GetProperty("object").GetString().Should().Be("chat.completion");
        JsonElement choice = completion.GetProperty("choices")[0];
        choice.GetProperty("message").GetProperty("role").GetString().Should().Be("assistant");
        choice.GetProperty("message").GetProperty("content").GetString().Should().Be(Answer);
        choice.GetProperty("finish_reason").GetString().Should().Be("stop");
        completion.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(34);
        JsonElement block = completion.GetProperty("x_scg").GetProperty("code_blocks")[0];
        block.GetProperty("code").GetString().Should().Be("print(sorted(xs))\n");
        block.GetProperty("file_name").GetString().Should().Be("sort.py");
    }

    [Test]
    public async Task Messages_AsOpenAIDefinesThem_ReachTheModelInOrder()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", """
            {"model": "some-model", "temperature": 0.5, "max_tokens": 99, "stop": ["END"],
             "messages": [
               {"role": "developer", "content": "Answer in Go."},
               {"role": "user", "content": [{"type": "text", "text": "Write "}, {"type": "text", "text": "a stack."}]},
               {"role": "assistant", "content": "type Stack struct{}"},
               {"role": "user", "content": "Add Peek.", "name": "ann"}]}
            """));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        RecordedRequest sent = upstream.Requests.Single();
        sent.Messages.Select(m => (m.Role, m.Content)).Should().Equal(
            ("system", "Answer in Go."), ("user", "Write a stack."), ("assistant", "type Stack struct{}"), ("user", "Add Peek."));
        sent.Json.GetProperty("temperature").GetDouble().Should().Be(0.5);
        sent.Json.GetProperty("stop")[0].GetString().Should().Be("END");
        sent.Json.ToString().Should().Contain("99");
        sent.Model.Should().Be("gpt-4o-mini", "a model not in WebApi:AllowedModels is answered by the configured one");
    }

    [Test]
    public async Task Model_InAllowedModels_IsUsed()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("ok"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:AllowedModels:0"] = "gpt-4.1-mini" });

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"model\": \"gpt-4.1-mini\", \"prompt\": \"x\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        upstream.Requests.Single().Model.Should().Be("gpt-4.1-mini");
    }

    public static IEnumerable<TestCaseData> InvalidRequests()
    {
        yield return new TestCaseData(null, 400, "missing_body", null).SetName("no body");
        yield return new TestCaseData("{\"messages\": [", 400, "invalid_json", null).SetName("malformed JSON");
        yield return new TestCaseData("{\"stream\": true}", 400, "missing_messages", "messages").SetName("no messages and no prompt");
        yield return new TestCaseData("{\"messages\": []}", 400, "empty_messages", "messages").SetName("empty messages");
        yield return new TestCaseData("{\"messages\": \"hi\"}", 400, "invalid_type", "messages").SetName("messages of the wrong type");
        yield return new TestCaseData("{\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}", 400, "invalid_role", "messages[0].role").SetName("unknown role");
        yield return new TestCaseData("{\"messages\": [{\"role\": 1, \"content\": \"x\"}]}", 400, "invalid_type", "messages[0].role").SetName("role of the wrong type");
        yield return new TestCaseData("{\"messages\": [{\"role\": \"user\", \"content\": 5}]}", 400, "invalid_type", "messages[0].content").SetName("content of the wrong type");
        yield return new TestCaseData("{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}", 400, "unsupported_content", "messages[0].content[0]").SetName("image part");
        yield return new TestCaseData("{\"messages\": [{\"role\": \"user\", \"content\": \" \"}]}", 400, "empty_prompt", "messages[0].content").SetName("empty user message");
        yield return new TestCaseData("{\"messages\": [{\"role\": \"system\", \"content\": \"x\"}]}", 400, "missing_user_message", "messages").SetName("no user message");
        yield return new TestCaseData("{\"prompt\": \"\"}", 400, "empty_prompt", "prompt").SetName("an empty prompt field");
        yield return new TestCaseData("{\"prompt\": \"" + new string('x', 5001) + "\"}", 400, "prompt_too_long", "prompt").SetName("a prompt field over the limit");
        yield return new TestCaseData("{\"messages\": [{\"role\": \"user\", \"content\": \"" + new string('x', 5001) + "\"}]}", 400, "prompt_too_long", "messages[0].content").SetName("user message over the limit");
        yield return new TestCaseData("{\"prompt\": \"" + new string('x', 300_000) + "\"}", 413, "request_too_large", null).SetName("body over the size limit");
        yield return new TestCaseData("{\"prompt\": \"x\", \"temperature\": 3}", 400, "invalid_temperature", "temperature").SetName("temperature out of range");
        yield return new TestCaseData("{\"prompt\": \"x\", \"max_tokens\": \"many\"}", 400, "invalid_max_tokens", "max_tokens").SetName("max_tokens of the wrong type");
        yield return new TestCaseData("{\"prompt\": \"x\", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]}", 400, "invalid_stop", "stop").SetName("five stop sequences");
        yield return new TestCaseData("{\"prompt\": \"x\", \"stream\": \"yes\"}", 400, "invalid_type", "stream").SetName("stream of the wrong type");
        yield return new TestCaseData("{\"prompt\": \"x\", \"n\": 2}", 400, "unsupported_parameter", "n").SetName("two choices");
    }

    [TestCaseSource(nameof(InvalidRequests))]
    public async Task InvalidRequest_IsOpenAIErrorObjectAndNeverReachesTheModel(string? body, int status, string code, string? param)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpRequestMessage request = body is null ? Json.PostWithoutBody("/v1/chat/completions") : Json.Post("/v1/chat/completions", body);
        using HttpResponseMessage response = await service.Client.SendAsync(request);

        ((int)response.StatusCode).Should().Be(status);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be(code);
        error.GetProperty("type").GetString().Should().Be(status == 400 || status == 413 ? "invalid_request_error" : "server_error");
        error.GetProperty("message").GetString().Should().NotBeNullOrWhiteSpace();
        if (param is not null)
        {
            error.GetProperty("param").GetString().Should().Be(param);
        }

        upstream.RequestCount.Should().Be(0);
    }

    [TestCaseSource(typeof(UpstreamFaults), nameof(UpstreamFaults.All))]
    public async Task UpstreamFailsBeforeTheFirstChunk_AnswersItsOwnStatus(UpstreamFaults.Case fault)
    {
        await using var upstream = await OpenAITestServer.StartAsync(fault.Script);
        await using var service = await ServiceHost.StartAsync(upstream, fault.Settings);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"Write a sort\", \"stream\": true}"));

        await fault.ShouldBeAnsweredByAsync(response);
    }

    [Test]
    public async Task Stream_UpstreamErrorMidStream_EndsWithAnErrorEventAndNoDone()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("def f():\n", "    return 1").ErrorEvent("overloaded").Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"f\", \"stream\": true}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        string body = await response.Content.ReadAsStringAsync();
        EventStream.Text(body).Should().Be("def f():\n    return 1");
        IReadOnlyList<(string? Name, string Data)> events = EventStream.Parse(body);
        events.Should().NotContain(e => e.Data == "[DONE]");
        JsonElement error = JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("upstream_error");
        error.GetProperty("type").GetString().Should().Be("server_error");
    }

    [Test]
    public async Task NoStream_UpstreamFailsMidAnswer_StillGetsAStatus()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("partial").Stall().Build());
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["StreamingCodeGenerator:IdleTimeout"] = "00:00:00.3" });

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/chat/completions", "{\"prompt\": \"f\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.GatewayTimeout);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be("upstream_timeout");
    }

    [Test]
    public async Task Stream_ClientDisconnects_CancelsTheUpstreamRequest()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("first").Stall().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        using (HttpResponseMessage response = await service.Client.SendAsync(Json.Post("v1/chat/completions", "{\"prompt\": \"f\", \"stream\": true}"), HttpCompletionOption.ResponseHeadersRead))
        {
            await using Stream body = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(body);
            (await reader.ReadLineAsync()).Should().StartWith("data: {");
        }

        await upstream.ClientDisconnected(0).WaitAsync(TimeSpan.FromSeconds(30));
    }
}
