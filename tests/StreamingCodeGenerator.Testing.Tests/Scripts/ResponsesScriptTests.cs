using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Scripts;

/// <summary>Every step of <see cref="ResponsesScript"/> writes the events OpenAI's Responses API sends, one flushed write per event.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class ResponsesScriptTests
{
    private static async Task<RawResponse> SendAsync(Func<HttpContext, Task> script)
    {
        await using var server = await OpenAITestServer.StartAsync(script);
        return await RawHttp.PostAsync(server.BaseAddress, "/v1/responses", "{\"model\":\"gpt-5-codex\",\"stream\":true,\"input\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            ("Authorization", "Bearer " + OpenAITestServer.DefaultApiKey));
    }

    [Test]
    public async Task Answer_Texts_WritesTheResponseEventsOnePerWriteWithConsecutiveSequenceNumbers()
    {
        RawResponse response = await SendAsync(ResponsesScript.Answer("Hello", ", world"));

        List<(string Event, JsonElement Data)> events = Events(response);
        events.Select(e => e.Event).Should().Equal(
            "response.created", "response.in_progress", "response.output_item.added", "response.content_part.added",
            "response.output_text.delta", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
            "response.output_item.done", "response.completed");
        response.Chunks.Should().HaveCount(10, "each event is its own write");
        events.Should().OnlyContain(e => e.Data.GetProperty("type").GetString() == e.Event);
        events.Select(e => e.Data.GetProperty("sequence_number").GetInt32()).Should().Equal(Enumerable.Range(0, 10));
        events[4].Data.GetProperty("delta").GetString().Should().Be("Hello");
        events[6].Data.GetProperty("text").GetString().Should().Be("Hello, world");
        JsonElement completed = events[9].Data.GetProperty("response");
        completed.GetProperty("id").GetString().Should().Be(ResponsesScript.DefaultId);
        completed.GetProperty("model").GetString().Should().Be(ResponsesScript.DefaultModel);
        completed.GetProperty("status").GetString().Should().Be("completed");
        completed.GetProperty("output")[0].GetProperty("content")[0].GetProperty("text").GetString().Should().Be("Hello, world");
        completed.GetProperty("usage").GetRawText().Should().Be(
            "{\"input_tokens\":12,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens\":2,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":14}");
        response.ChunkTexts[4].Should().Be(
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_test_0\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hello\",\"logprobs\":[]}\n\n");
    }

    [Test]
    public async Task ReasoningSummaryParts_ThenText_EachPartHasItsIndexAndTheReasoningItemIsClosedFirst()
    {
        RawResponse response = await SendAsync(new ResponsesScript()
            .ReasoningSummary("**One**", " first")
            .ReasoningSummary("**Two**")
            .Text("Answer")
            .Completed(inputTokens: 20, outputTokens: 90, cachedTokens: 8, reasoningTokens: 64));

        List<(string Event, JsonElement Data)> events = Events(response);
        events.Select(e => e.Event).Should().Equal(
            "response.created", "response.in_progress", "response.output_item.added",
            "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
            "response.reasoning_summary_part.added", "response.reasoning_summary_text.delta",
            "response.reasoning_summary_text.done", "response.reasoning_summary_part.done", "response.output_item.done",
            "response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done",
            "response.content_part.done", "response.output_item.done", "response.completed");
        events.Where(e => e.Event == "response.reasoning_summary_part.added").Select(e => e.Data.GetProperty("summary_index").GetInt32()).Should().Equal(0, 1);
        events[6].Data.GetProperty("text").GetString().Should().Be("**One** first");
        events[13].Data.GetProperty("output_index").GetInt32().Should().Be(1, "the message is the second output item");
        JsonElement usage = events[^1].Data.GetProperty("response").GetProperty("usage");
        usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32().Should().Be(8);
        usage.GetProperty("output_tokens_details").GetProperty("reasoning_tokens").GetInt32().Should().Be(64);
        events[^1].Data.GetProperty("response").GetProperty("output")[0].GetProperty("summary").GetArrayLength().Should().Be(2);
    }

    [Test]
    public async Task RefusalReasoningTextAndFunctionCall_UseTheirOwnEventsAndParts()
    {
        RawResponse response = await SendAsync(new ResponsesScript()
            .ReasoningText("We need")
            .FunctionCall("lookup", "{\"q\":1}")
            .Refusal("I can't", " help.")
            .Completed());

        List<(string Event, JsonElement Data)> events = Events(response);
        events.Select(e => e.Event).Should().ContainInOrder(
            "response.reasoning_text.delta", "response.reasoning_text.done", "response.function_call_arguments.delta",
            "response.function_call_arguments.done", "response.refusal.delta", "response.refusal.delta", "response.refusal.done");
        events.Single(e => e.Event == "response.refusal.done").Data.GetProperty("refusal").GetString().Should().Be("I can't help.");
        events.Where(e => e.Event == "response.content_part.added").Select(e => e.Data.GetProperty("part").GetProperty("type").GetString())
            .Should().Equal("reasoning_text", "refusal");
        events[^1].Data.GetProperty("response").GetProperty("output").EnumerateArray().Select(i => i.GetProperty("type").GetString())
            .Should().Equal("reasoning", "function_call", "message");
    }

    [Test]
    public async Task Incomplete_ClosesTheMessageAsIncompleteAndSaysWhy()
    {
        RawResponse response = await SendAsync(new ResponsesScript().Text("Hello! How").Incomplete(outputTokens: 16));

        List<(string Event, JsonElement Data)> events = Events(response);
        events[^2].Data.GetProperty("item").GetProperty("status").GetString().Should().Be("incomplete");
        events[^1].Event.Should().Be("response.incomplete");
        JsonElement incomplete = events[^1].Data.GetProperty("response");
        incomplete.GetProperty("status").GetString().Should().Be("incomplete");
        incomplete.GetProperty("incomplete_details").GetProperty("reason").GetString().Should().Be("max_output_tokens");
        incomplete.GetProperty("usage").GetProperty("output_tokens").GetInt32().Should().Be(16);
    }

    [Test]
    public async Task ErrorEventThenFailed_AsOpenAIFailsAfterThe200()
    {
        RawResponse response = await SendAsync(new ResponsesScript().Text("Hel").ErrorEvent().Failed());

        List<(string Event, JsonElement Data)> events = Events(response);
        JsonElement error = events.Single(e => e.Event == "error").Data.GetProperty("error");
        error.GetProperty("code").GetString().Should().Be("server_error");
        error.GetProperty("message").GetString().Should().Be(ResponsesScript.ServerErrorMessage);
        JsonElement failed = events[^1].Data.GetProperty("response");
        events[^1].Event.Should().Be("response.failed");
        failed.GetProperty("status").GetString().Should().Be("failed");
        failed.GetProperty("error").GetProperty("code").GetString().Should().Be("server_error");
        failed.GetProperty("usage").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Test]
    public async Task CreatedQueuedAndDone_BackgroundShapeAndOpenRoutersSentinel()
    {
        RawResponse response = await SendAsync(new ResponsesScript().WithId("resp_bg").WithModel("gpt-4o").Created(queued: true).Text("x").Completed().Done());

        List<(string Event, JsonElement Data)> events = Events(response);
        events.Take(3).Select(e => e.Event).Should().Equal("response.created", "response.queued", "response.in_progress");
        events[0].Data.GetProperty("response").GetProperty("status").GetString().Should().Be("queued");
        events[0].Data.GetProperty("response").GetProperty("id").GetString().Should().Be("resp_bg");
        response.ChunkTexts[^1].Should().Be("data: [DONE]\n\n");
    }

    [Test]
    public async Task WithoutTerminal_TheStreamEndsAfterTheLastDelta()
    {
        RawResponse response = await SendAsync(new ResponsesScript().Text("cut here"));

        Events(response)[^1].Event.Should().Be("response.output_text.delta");
        response.Text.Should().NotContain("response.completed");
    }

    [Test]
    public void Created_AfterContent_FailsWhenBuilt()
    {
        ResponsesScript script = new ResponsesScript().Text("a").Created();

        Action build = () => script.Build();

        build.Should().Throw<InvalidOperationException>().WithMessage("*Created once, before any content*");
    }

    [Test]
    public void StepAfterStall_Throws()
    {
        ResponsesScript script = new ResponsesScript().Text("a").Stall();

        Action add = () => script.Completed();

        add.Should().Throw<InvalidOperationException>().WithMessage("*already ends with Stall()*");
    }

    private static List<(string Event, JsonElement Data)> Events(RawResponse response)
    {
        var events = new List<(string, JsonElement)>();
        foreach (string block in response.Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (block == "data: [DONE]")
            {
                continue;
            }

            string[] lines = block.Split('\n');
            lines[0].Should().StartWith("event: ");
            using var data = JsonDocument.Parse(lines[1]["data: ".Length..]);
            events.Add((lines[0]["event: ".Length..], data.RootElement.Clone()));
        }

        return events;
    }
}
