using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Client;

/// <summary>
/// A real client no one here wrote: OpenAI's official npm package streams chat completions and responses from the
/// service, lists its models, and meets its errors. Two majors: 5 on the machine's node (<c>.ci/run</c> installs it into
/// <c>$TMPDIR/openai-npm</c>, named by <c>OPENAI_NPM_DIR</c>), and 7, which needs node 22, beside the AI SDK
/// (<see cref="AiSdkClientTests"/>).
/// </summary>
public sealed class OpenAINpmClientTests
{
    public const string Answer = "Here you are:\n\n```python title=sort.py\nprint(sorted([3, 1, 2]))\n```\n\nDone.";

    public static Func<Microsoft.AspNetCore.Http.HttpContext, Task> Script() =>
        new SseScript().Role().Content("Here you are:\n\n").CodeBlock("python", "print(sorted([3, 1, 2]))\n", "sort.py").Content("\nDone.").Finish().Usage(30, 20).Done().Build();

    [Test]
    public async Task OfficialOpenAIPackage5_ChatResponsesAndModels_WorkWithTheExactText()
    {
        string? node = NodeClient.FindOnPath("node");
        if (node is null)
        {
            Assert.Ignore("node is not installed: the official openai npm client cannot run here.");
        }

        string folder = await NodeClient.PackagesAsync("OPENAI_NPM_DIR", "openai-npm", "openai", "openai@5");
        await RunAndCheckAsync(node, folder, expectedMajor: "5.");
    }

    /// <summary>Runs <c>openai-client.mjs</c> with the package in <paramref name="folder"/> and checks what it saw.</summary>
    public static async Task RunAndCheckAsync(string node, string folder, string expectedMajor)
    {
        await using var upstream = await OpenAITestServer.StartAsync(Script());
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?> { ["WebApi:AllowedModels:0"] = "gpt-4o" }, kestrel: true);

        JsonElement result = await NodeClient.RunScriptAsync(node, "openai-client.mjs", service.BaseAddress, new Dictionary<string, string> { ["OPENAI_NPM_DIR"] = folder });

        result.GetProperty("version").GetString().Should().StartWith(expectedMajor);
        result.GetProperty("streamed").GetString().Should().Be(Answer);
        result.GetProperty("whole").GetString().Should().Be(Answer);
        result.GetProperty("object").GetString().Should().Be("chat.completion");
        result.GetProperty("finishReason").GetString().Should().Be("stop");
        result.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(50);
        result.GetProperty("badRequest").GetProperty("status").GetInt32().Should().Be(400);
        result.GetProperty("badRequest").GetProperty("code").GetString().Should().Be("invalid_role");

        result.GetProperty("models").EnumerateArray().Select(m => m.GetString()).Should().Equal("gpt-4o-mini", "gpt-4o");
        result.GetProperty("retrieved").GetString().Should().Be("gpt-4o-mini");

        string[] events = [.. result.GetProperty("responseEvents").EnumerateArray().Select(e => e.GetString()!)];
        events.Take(4).Should().Equal("response.created", "response.in_progress", "response.output_item.added", "response.content_part.added");
        events[^1].Should().Be("response.completed");
        result.GetProperty("responseStreamed").GetString().Should().Be(Answer);
        result.GetProperty("responseUsage").GetProperty("total_tokens").GetInt32().Should().Be(50);
        result.GetProperty("responseHelper").GetProperty("text").GetString().Should().Be(Answer, "the SDK's accumulating helper rebuilt the response from the events");
        result.GetProperty("responseHelper").GetProperty("status").GetString().Should().Be("completed");
        JsonElement whole = result.GetProperty("responseWhole");
        whole.GetProperty("text").GetString().Should().Be(Answer);
        whole.GetProperty("status").GetString().Should().Be("completed");
        whole.GetProperty("object").GetString().Should().Be("response");
        whole.GetProperty("usage").GetProperty("input_tokens").GetInt32().Should().Be(30);

        JsonElement unsupported = result.GetProperty("responseUnsupported");
        unsupported.GetProperty("status").GetInt32().Should().Be(400);
        unsupported.GetProperty("code").GetString().Should().Be("unsupported_parameter");
        unsupported.GetProperty("param").GetString().Should().Be("text.format");
        JsonElement unknown = result.GetProperty("unknownUrl");
        unknown.GetProperty("status").GetInt32().Should().Be(404);
        unknown.GetProperty("code").GetString().Should().Be("unknown_url");
        unknown.GetProperty("type").GetString().Should().Be("invalid_request_error");

        upstream.RequestCount.Should().Be(5, "two chat completions and three responses reached the model; refused requests did not");
        upstream.Requests.Select(r => r.Messages[^1].Content).Should().OnlyContain(content => content!.Contains("bubble sort", StringComparison.Ordinal));
    }
}
