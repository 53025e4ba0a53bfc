using System.Text.Json;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Testing.Tests.Infrastructure;

namespace StreamingCodeGeneration.Testing.Tests.Scripts;

/// <summary>Every step of <see cref="AnthropicScript"/> writes the events Anthropic's Messages API sends, one flushed write per event.</summary>
[TestFixture]
[Parallelizable(ParallelScope.All)]
public sealed class AnthropicScriptTests
{
    private const string MessageStart =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_test\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
        + "\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n";

    private static async Task<RawResponse> SendAsync(Func<HttpContext, Task> script)
    {
        await using var server = await OpenAITestServer.StartAsync(script);
        return await RawHttp.PostAsync(server.BaseAddress, "/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            ("x-api-key", "sk-ant-test-key"), ("anthropic-version", "2023-06-01"));
    }

    private static string Delta(int index, string delta) =>
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}\n\n";

    [Test]
    public async Task Answer_Texts_WritesTheMessageEventsOnePerWrite()
    {
        RawResponse response = await SendAsync(AnthropicScript.Answer("Hello", ", world"));

        response.Status.Should().Be(200);
        response.Header("Content-Type").Should().Be("text/event-stream");
        response.ChunkTexts.Should().Equal(
            MessageStart,
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            Delta(0, "{\"type\":\"text_delta\",\"text\":\"Hello\"}"),
            Delta(0, "{\"type\":\"text_delta\",\"text\":\", world\"}"),
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":2}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        response.Complete.Should().BeTrue();
    }

    [Test]
    public async Task ThinkingThenText_ClosesTheThinkingBlockWithItsSignatureAndOpensATextBlock()
    {
        RawResponse response = await SendAsync(new AnthropicScript().Thinking("Let me", " think").Text("Answer").Stop(outputTokens: 40));

        response.ChunkTexts.Should().Equal(
            MessageStart,
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n",
            Delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\"Let me\"}"),
            Delta(0, "{\"type\":\"thinking_delta\",\"thinking\":\" think\"}"),
            Delta(0, "{\"type\":\"signature_delta\",\"signature\":\"" + AnthropicScript.DefaultSignature + "\"}"),
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n",
            Delta(1, "{\"type\":\"text_delta\",\"text\":\"Answer\"}"),
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":40}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    [Test]
    public async Task ToolUsePingAndCodeBlock_EveryEventIsJsonWhoseTypeIsItsEventName()
    {
        RawResponse response = await SendAsync(new AnthropicScript()
            .MessageStart(inputTokens: 5, cacheReadTokens: 3000, cacheCreationTokens: 7)
            .Text("Calling.\n")
            .Ping()
            .ToolUse("get_weather", "{\"city\":\"Paris\"}")
            .CodeBlock("python", "print(1)", fileName: "a.py")
            .Stop("tool_use"));

        List<(string Event, JsonElement Data)> events = Events(response);
        events.Select(e => e.Event).Should().Equal(
            "message_start", "content_block_start", "content_block_delta", "ping", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_stop",
            "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        events.Should().OnlyContain(e => e.Data.GetProperty("type").GetString() == e.Event);
        events[5].Data.GetProperty("content_block").GetProperty("name").GetString().Should().Be("get_weather");
        events[6].Data.GetProperty("delta").GetProperty("partial_json").GetString().Should().Be("{\"city\":\"Paris\"}");
        string.Concat(events.Where(e => e.Event == "content_block_delta" && e.Data.GetProperty("delta").GetProperty("type").GetString() == "text_delta")
            .Select(e => e.Data.GetProperty("delta").GetProperty("text").GetString())).Should().Be("Calling.\n```python title=a.py\nprint(1)\n```\n");
        events[0].Data.GetProperty("message").GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32().Should().Be(3000);
        events[^2].Data.GetProperty("delta").GetProperty("stop_reason").GetString().Should().Be("tool_use");
        response.Text.Should().Contain("event: ping\ndata: {\"type\": \"ping\"}\n\n", "Anthropic writes ping's data with spaces");
    }

    [Test]
    public async Task MessageDeltaWithoutStop_TheStreamEndsWithoutMessageStop()
    {
        RawResponse response = await SendAsync(new AnthropicScript().Text("cut").MessageDelta("max_tokens"));

        Events(response).Select(e => e.Event).Should().EndWith(["content_block_stop", "message_delta"]);
        response.Text.Should().NotContain("message_stop");
        response.Text.Should().Contain("\"stop_reason\":\"max_tokens\"");
    }

    [Test]
    public async Task Refusal_EndsWithStopDetailsAndMessageStop()
    {
        RawResponse response = await SendAsync(new AnthropicScript().Text(string.Empty).Refusal("Not allowed.", "bio"));

        JsonElement delta = Events(response).Single(e => e.Event == "message_delta").Data.GetProperty("delta");
        delta.GetProperty("stop_reason").GetString().Should().Be("refusal");
        delta.GetProperty("stop_details").GetProperty("category").GetString().Should().Be("bio");
        delta.GetProperty("stop_details").GetProperty("explanation").GetString().Should().Be("Not allowed.");
        Events(response)[^1].Event.Should().Be("message_stop");
    }

    [Test]
    public async Task ErrorEvent_Default_IsAnthropicsOverloadedErrorEvent()
    {
        RawResponse response = await SendAsync(new AnthropicScript().Text("Hel").ErrorEvent());

        response.ChunkTexts[^1].Should().Be("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
        response.Complete.Should().BeTrue("the server sends the error and ends the body; the client decides what it means");
    }

    [Test]
    public async Task WithIdModelAndLineEnding_ShapeEveryEvent()
    {
        RawResponse response = await SendAsync(new AnthropicScript().WithId("msg_x").WithModel("claude-opus-4-5").WithLineEnding(SseLineEnding.CrLf).Text("a").Stop());

        response.ChunkTexts[0].Should().StartWith("event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_x\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-opus-4-5\"");
        response.ChunkTexts.Should().OnlyContain(chunk => chunk.EndsWith("\r\n\r\n", StringComparison.Ordinal));
    }

    [Test]
    public async Task Build_ChangesAfterBuilding_DoNotAffectTheBuiltScript()
    {
        var builder = new AnthropicScript().Text("one");
        Func<HttpContext, Task> built = builder.Build();
        builder.Text("two").WithModel("other");

        RawResponse response = await SendAsync(built);

        response.Text.Should().Contain("\"text\":\"one\"").And.NotContain("two").And.Contain("claude-sonnet-4-5");
    }

    [Test]
    public void MessageStart_AfterContent_FailsWhenBuilt()
    {
        AnthropicScript script = new AnthropicScript().Text("a").MessageStart();

        Action build = () => script.Build();

        build.Should().Throw<InvalidOperationException>().WithMessage("*MessageStart once, before any content*");
    }

    [Test]
    public void StepAfterCut_Throws()
    {
        AnthropicScript script = new AnthropicScript().Text("a").Cut();

        Action add = () => script.Text("b");

        add.Should().Throw<InvalidOperationException>().WithMessage("*already ends with Cut()*");
    }

    [Test]
    public async Task Cut_AfterText_TheBodyIsNotTerminated()
    {
        RawResponse response = await SendAsync(new AnthropicScript().Text("partial").Cut());

        response.Complete.Should().BeFalse("the cut may even reset the connection before the client read everything");
    }

    private static List<(string Event, JsonElement Data)> Events(RawResponse response)
    {
        var events = new List<(string, JsonElement)>();
        foreach (string block in response.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string[] lines = block.Split('\n');
            lines[0].Should().StartWith("event: ");
            lines[1].Should().StartWith("data: ");
            using var data = JsonDocument.Parse(lines[1]["data: ".Length..]);
            events.Add((lines[0]["event: ".Length..], data.RootElement.Clone()));
        }

        return events;
    }
}
