using System.Net;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.OpenAI;

/// <summary>
/// <c>POST /v1/responses</c> in OpenAI's Responses wire format. The event names, their order and each object's fields
/// are checked against a stream recorded from OpenAI's API (openai/openai-dotnet's session record of a gpt-4o-mini
/// "Hello!" answer, <c>tests/SessionRecords/ResponsesTests/StreamingResponses.json</c>, entry 0): the field lists below
/// are that recording's, less <c>obfuscation</c> (padding OpenAI adds to deltas against side channels).
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class ResponsesTests
{
    private const string Answer = "Sorted:\n\n```python title=sort.py\nprint(sorted(xs))\n```\n\nThat is all.";

    private static readonly string[] ResponseFields =
    [
        "id", "object", "created_at", "status", "background", "error", "incomplete_details", "instructions", "max_output_tokens",
        "max_tool_calls", "model", "output", "parallel_tool_calls", "previous_response_id", "prompt_cache_key", "reasoning",
        "safety_identifier", "service_tier", "store", "temperature", "text", "tool_choice", "tools", "top_logprobs", "top_p",
        "truncation", "usage", "user", "metadata",
    ];

    private static readonly string[] EventOrder =
    [
        "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
    ];

    private static readonly string[] EndOrder =
    [
        "response.output_text.done", "response.content_part.done", "response.output_item.done", "response.completed",
    ];

    private static SseScript Script() => new SseScript().Role().Content("Sorted:\n\n").CodeBlock("python", "print(sorted(xs))\n", "sort.py").Content("\nThat is all.").Finish().Usage(21, 13).Done();

    [Test]
    public async Task Stream_Answer_IsOpenAIsResponseEvents_InOrder_Numbered_WithTheRecordedFields()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Script().Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/responses", "{\"model\": \"gpt-4o-mini\", \"input\": \"Sort xs\", \"stream\": true}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        response.Content.Headers.ContentEncoding.Should().BeEmpty();
        IReadOnlyList<(string? Name, JsonElement Data)> events = Events(await response.Content.ReadAsStringAsync());

        events.Take(4).Select(e => e.Name).Should().Equal(EventOrder);
        events.TakeLast(4).Select(e => e.Name).Should().Equal(EndOrder);
        events.Skip(4).SkipLast(4).Should().NotBeEmpty().And.OnlyContain(e => e.Name == "response.output_text.delta");
        events.Should().OnlyContain(e => e.Data.GetProperty("type").GetString() == e.Name, "each event's name is its type");
        events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()).Should().Equal(Enumerable.Range(0, events.Count));

        JsonElement created = events[0].Data.GetProperty("response");
        Keys(created).Should().BeEquivalentTo(ResponseFields);
        string id = created.GetProperty("id").GetString()!;
        id.Should().StartWith("resp_");
        created.GetProperty("object").GetString().Should().Be("response");
        created.GetProperty("status").GetString().Should().Be("in_progress");
        created.GetProperty("created_at").GetInt64().Should().BeGreaterThan(1_600_000_000);
        created.GetProperty("model").GetString().Should().Be("gpt-4o-mini-2024-07-18", "the model that answered, as the upstream named it");
        created.GetProperty("output").GetArrayLength().Should().Be(0);
        created.GetProperty("usage").ValueKind.Should().Be(JsonValueKind.Null);
        created.GetProperty("store").GetBoolean().Should().BeFalse();
        created.GetProperty("text").GetProperty("format").GetProperty("type").GetString().Should().Be("text");

        JsonElement added = events[2].Data;
        Keys(added).Should().Equal("type", "sequence_number", "output_index", "item");
        Keys(added.GetProperty("item")).Should().Equal("id", "type", "status", "content", "role");
        string itemId = added.GetProperty("item").GetProperty("id").GetString()!;
        itemId.Should().StartWith("msg_");
        added.GetProperty("item").GetProperty("status").GetString().Should().Be("in_progress");
        JsonElement part = events[3].Data;
        Keys(part).Should().Equal("type", "sequence_number", "item_id", "output_index", "content_index", "part");
        Keys(part.GetProperty("part")).Should().Equal("type", "annotations", "logprobs", "text");

        JsonElement[] deltas = [.. events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data)];
        deltas.Should().OnlyContain(d => Keys(d).SequenceEqual(new[] { "type", "sequence_number", "item_id", "output_index", "content_index", "delta", "logprobs" }));
        deltas.Should().OnlyContain(d => d.GetProperty("item_id").GetString() == itemId && d.GetProperty("output_index").GetInt32() == 0 && d.GetProperty("content_index").GetInt32() == 0);
        string.Concat(deltas.Select(d => d.GetProperty("delta").GetString())).Should().Be(Answer);

        JsonElement textDone = events[^4].Data;
        Keys(textDone).Should().Equal("type", "sequence_number", "item_id", "output_index", "content_index", "text", "logprobs");
        textDone.GetProperty("text").GetString().Should().Be(Answer);
        events[^3].Data.GetProperty("part").GetProperty("text").GetString().Should().Be(Answer);
        JsonElement itemDone = events[^2].Data.GetProperty("item");
        itemDone.GetProperty("status").GetString().Should().Be("completed");
        itemDone.GetProperty("content")[0].GetProperty("text").GetString().Should().Be(Answer);

        JsonElement completed = events[^1].Data.GetProperty("response");
        Keys(completed).Should().BeEquivalentTo(ResponseFields);
        completed.GetProperty("id").GetString().Should().Be(id);
        completed.GetProperty("status").GetString().Should().Be("completed");
        completed.GetProperty("incomplete_details").ValueKind.Should().Be(JsonValueKind.Null);
        completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString().Should().Be(Answer);
        JsonElement usage = completed.GetProperty("usage");
        Keys(usage).Should().Equal("input_tokens", "input_tokens_details", "output_tokens", "output_tokens_details", "total_tokens");
        usage.GetProperty("input_tokens").GetInt32().Should().Be(21);
        usage.GetProperty("output_tokens").GetInt32().Should().Be(13);
        usage.GetProperty("total_tokens").GetInt32().Should().Be(34);
        usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32().Should().Be(0);
        usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32().Should().Be(0);
    }

    [Test]
    public async Task Whole_Answer_IsOneResponseObject()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Script().Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(
            "/v1/responses",
            "{\"model\": \"gpt-4o-mini\", \"input\": \"Sort xs\", \"instructions\": \"Be brief.\", \"temperature\": 0.5, \"top_p\": 0.9, \"max_output_tokens\": 500, \"user\": \"u-1\", \"metadata\": {\"team\": \"a\"}}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Keys(body).Should().BeEquivalentTo(ResponseFields);
        body.GetProperty("object").GetString().Should().Be("response");
        body.GetProperty("status").GetString().Should().Be("completed");
        JsonElement message = body.GetProperty("output")[0];
        message.GetProperty("type").GetString().Should().Be("message");
        message.GetProperty("role").GetString().Should().Be("assistant");
        message.GetProperty("status").GetString().Should().Be("completed");
        message.GetProperty("content")[0].GetProperty("type").GetString().Should().Be("output_text");
        message.GetProperty("content")[0].GetProperty("text").GetString().Should().Be(Answer);
        body.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(34);
        body.GetProperty("instructions").GetString().Should().Be("Be brief.");
        body.GetProperty("temperature").GetDouble().Should().Be(0.5);
        body.GetProperty("top_p").GetDouble().Should().Be(0.9);
        body.GetProperty("max_output_tokens").GetInt32().Should().Be(500);
        body.GetProperty("user").GetString().Should().Be("u-1");
        body.GetProperty("metadata").GetProperty("team").GetString().Should().Be("a");
    }

    [Test]
    public async Task InputItems_AndInstructions_ReachTheModelAsTheConversation_WithItsSettings()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("Added."));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(
            "/v1/responses",
            """
            {"model": "gpt-4o-mini", "instructions": "You write C#.", "temperature": 0.2, "max_output_tokens": 300,
             "input": [
               {"role": "user", "content": [{"type": "input_text", "text": "Write a stack."}]},
               {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "class Stack {}"}]},
               {"role": "developer", "content": "Use generics."},
               {"role": "user", "content": [{"type": "input_text", "text": "Now add "}, {"type": "input_text", "text": "a Peek method."}]}
             ]}
            """));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        RecordedRequest sent = upstream.Requests[0];
        sent.Messages.Select(m => (m.Role, m.Content)).Should().Equal(
            ("system", "You write C#."),
            ("user", "Write a stack."),
            ("assistant", "class Stack {}"),
            ("system", "Use generics."),
            ("user", "Now add a Peek method."));
        sent.Json.GetProperty("temperature").GetDouble().Should().BeApproximately(0.2, 1e-6);
        (sent.Json.TryGetProperty("max_completion_tokens", out JsonElement limit) || sent.Json.TryGetProperty("max_tokens", out limit)).Should().BeTrue();
        limit.GetInt32().Should().Be(300);
    }

    [Test]
    public async Task Stream_CutByTheLengthLimit_IsResponseIncomplete_WithTheReason()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("def sort(").Finish("length").Usage(11, 4).Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/responses", "{\"input\": \"Sort\", \"max_output_tokens\": 4, \"stream\": true}"));

        IReadOnlyList<(string? Name, JsonElement Data)> events = Events(await response.Content.ReadAsStringAsync());
        events[^1].Name.Should().Be("response.incomplete");
        JsonElement incomplete = events[^1].Data.GetProperty("response");
        incomplete.GetProperty("status").GetString().Should().Be("incomplete");
        incomplete.GetProperty("incomplete_details").GetProperty("reason").GetString().Should().Be("max_output_tokens");
        incomplete.GetProperty("max_output_tokens").GetInt32().Should().Be(4);
        incomplete.GetProperty("output")[0].GetProperty("status").GetString().Should().Be("incomplete");
        events[^2].Data.GetProperty("item").GetProperty("status").GetString().Should().Be("incomplete");
        events[^4].Data.GetProperty("text").GetString().Should().Be("def sort(");
    }

    [Test]
    public async Task Whole_CutByTheLengthLimit_IsStatusIncomplete()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("def sort(").Finish("length").Usage(11, 4).Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/responses", "{\"input\": \"Sort\", \"max_output_tokens\": 4}"));

        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("status").GetString().Should().Be("incomplete");
        body.GetProperty("incomplete_details").GetProperty("reason").GetString().Should().Be("max_output_tokens");
        body.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString().Should().Be("def sort(");
    }

    [Test]
    public async Task Stream_UpstreamErrorMidStream_EndsWithAnErrorEventAndResponseFailed_KeepingWhatArrived()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("def f():\n", "    return 1").ErrorEvent("overloaded").Build());
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/responses", "{\"input\": \"f\", \"stream\": true}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        IReadOnlyList<(string? Name, JsonElement Data)> events = Events(await response.Content.ReadAsStringAsync());
        string.Concat(events.Where(e => e.Name == "response.output_text.delta").Select(e => e.Data.GetProperty("delta").GetString())).Should().Be("def f():\n    return 1");
        events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()).Should().Equal(Enumerable.Range(0, events.Count));
        events[^2].Name.Should().Be("error");
        Keys(events[^2].Data).Should().Equal("type", "sequence_number", "error");
        JsonElement error = events[^2].Data.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("upstream_error");
        error.GetProperty("type").GetString().Should().Be("server_error");
        error.GetProperty("message").GetString().Should().NotContain("overloaded", "the upstream's text is never passed on");
        events[^1].Name.Should().Be("response.failed");
        JsonElement failed = events[^1].Data.GetProperty("response");
        failed.GetProperty("status").GetString().Should().Be("failed");
        failed.GetProperty("error").GetProperty("code").GetString().Should().Be("upstream_error");
        failed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString().Should().Be("def f():\n    return 1");
        events.Should().NotContain(e => e.Name == "response.completed");
    }

    [TestCaseSource(typeof(UpstreamFaults), nameof(UpstreamFaults.All))]
    public async Task UpstreamFailsBeforeTheFirstChunk_AnswersItsOwnStatus(UpstreamFaults.Case fault)
    {
        await using var upstream = await OpenAITestServer.StartAsync(fault.Script);
        await using var service = await ServiceHost.StartAsync(upstream, fault.Settings);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/responses", "{\"input\": \"Write a sort\", \"stream\": true}"));

        ((int)response.StatusCode).Should().Be(fault.Status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be(fault.Code);
    }

    public static IEnumerable<TestCaseData> InvalidRequests()
    {
        yield return new TestCaseData("{\"model\": \"gpt-4o-mini\"}", "missing_input", "input").SetName("no input");
        yield return new TestCaseData("{\"input\": 5}", "invalid_type", "input").SetName("input of the wrong type");
        yield return new TestCaseData("{\"input\": []}", "empty_input", "input").SetName("empty input");
        yield return new TestCaseData("{\"input\": \" \"}", "empty_prompt", "input").SetName("blank input");
        yield return new TestCaseData("{\"input\": \"" + new string('x', 5001) + "\"}", "prompt_too_long", "input").SetName("input over the prompt limit");
        yield return new TestCaseData("{\"input\": [{\"role\": \"system\", \"content\": \"x\"}]}", "missing_user_message", "input").SetName("no user message");
        yield return new TestCaseData("{\"input\": [{\"role\": \"tool\", \"content\": \"x\"}]}", "invalid_role", "input[0].role").SetName("tool role");
        yield return new TestCaseData("{\"input\": [{\"type\": \"function_call_output\", \"call_id\": \"c\", \"output\": \"4\"}]}", "unsupported_content", "input[0].type").SetName("function call output item");
        yield return new TestCaseData("{\"input\": [{\"type\": \"item_reference\", \"id\": \"msg_1\"}]}", "unsupported_content", "input[0].type").SetName("item reference");
        yield return new TestCaseData("{\"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_image\", \"image_url\": \"https://example.com/a.png\"}]}]}", "unsupported_content", "input[0].content[0].type").SetName("image part");
        yield return new TestCaseData("{\"input\": [{\"role\": \"user\", \"content\": [{\"type\": \"input_text\"}]}]}", "invalid_content", "input[0].content[0].text").SetName("text part without text");
        yield return new TestCaseData("{\"input\": [{\"role\": \"user\"}]}", "missing_content", "input[0].content").SetName("message without content");
        yield return new TestCaseData("{\"input\": [\"hi\"]}", "invalid_type", "input[0]").SetName("item that is not an object");
        yield return new TestCaseData("{\"input\": [{\"role\": \"user\", \"content\": \"" + new string('x', 5001) + "\"}]}", "prompt_too_long", "input[0].content").SetName("last user message over the limit");
        yield return new TestCaseData("{\"input\": \"x\", \"max_output_tokens\": 0}", "invalid_max_tokens", "max_output_tokens").SetName("zero max_output_tokens");
        yield return new TestCaseData("{\"input\": \"x\", \"temperature\": 2.5}", "invalid_temperature", "temperature").SetName("temperature out of range");
        yield return new TestCaseData("{\"input\": \"x\", \"instructions\": 5}", "invalid_type", "instructions").SetName("instructions of the wrong type");
        yield return new TestCaseData("{\"input\": \"x\", \"stream\": \"yes\"}", "invalid_type", "stream").SetName("stream of the wrong type");
    }

    [TestCaseSource(nameof(InvalidRequests))]
    public async Task InvalidRequest_Is400InOpenAIsErrorObject_AndNeverReachesTheModel(string body, string code, string param)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/v1/responses", body));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be(code);
        error.GetProperty("param").GetString().Should().Be(param);
        error.GetProperty("type").GetString().Should().Be("invalid_request_error");
        upstream.RequestCount.Should().Be(0);
    }

    private static IReadOnlyList<(string? Name, JsonElement Data)> Events(string body) =>
        [.. EventStream.Parse(body).Select(e => (e.Name, JsonDocument.Parse(e.Data).RootElement))];

    private static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];
}
