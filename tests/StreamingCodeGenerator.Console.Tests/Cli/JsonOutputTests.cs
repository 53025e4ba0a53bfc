using System.Text;
using System.Text.Json;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary><c>--json</c>: one chunk per line in the library's JSON, then one result or error object.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class JsonOutputTests
{
    private static readonly StreamingCodeGeneratorJsonContext Json = StreamingCodeGeneratorJsonContext.Default;

    [Test]
    public async Task Json_Lines_ParseAsChunksThatConcatenateToTheTextThenTheResult()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script());

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--json", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().BeEmpty();
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.Should().BeGreaterThan(3);
        var text = new StringBuilder();
        for (int i = 0; i < lines.Length - 1; i++)
        {
            Chunk chunk = JsonSerializer.Deserialize(lines[i], Json.Chunk)!;
            chunk.Index.Should().Be(i);
            text.Append(chunk.Text);
        }

        text.ToString().Should().Be(Answers.Text);
        using JsonDocument last = JsonDocument.Parse(lines[^1]);
        CodeGenerationResult result = last.RootElement.GetProperty("result").Deserialize(Json.CodeGenerationResult)!;
        result.Text.Should().Be(Answers.Text);
        result.CodeBlocks.Select(block => block.FileName).Should().Equal("sort.py", null);
        result.Stats.Usage!.TotalTokenCount.Should().Be(139);
        last.RootElement.GetProperty("chunkCount").GetInt32().Should().Be(lines.Length - 1);

        Chunk opening = lines[..^1].Select(line => JsonSerializer.Deserialize(line, Json.Chunk)!).First(chunk => chunk.Kind == ChunkKind.Fence);
        opening.Language.Should().Be("python");
        opening.FileName.Should().Be("sort.py");
    }

    [Test]
    public async Task Json_Failure_EndsWithAnErrorObjectHoldingThePartialText()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("partial ", "answer").ErrorEvent("The model crashed."));

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--json", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(6, run.Error);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string.Concat(lines[..^1].Select(line => JsonSerializer.Deserialize(line, Json.Chunk)!.Text)).Should().Be("partial answer");
        using JsonDocument last = JsonDocument.Parse(lines[^1]);
        JsonElement error = last.RootElement.GetProperty("error");
        error.GetProperty("exitCode").GetInt32().Should().Be(6);
        error.GetProperty("message").GetString().Should().Contain("The model crashed.");
        error.GetProperty("partialText").GetString().Should().Be("partial answer");
        error.GetProperty("stats").Deserialize(Json.StreamStats)!.Status.Should().Be(StreamStatus.Failed);
        run.Error.Trim().Split('\n').Should().ContainSingle().Which.Should().StartWith("scg: The server reported an error mid-answer");
    }

    [Test]
    public async Task Json_ReadableCharacters_AreWrittenAsThemselvesAndControlsEscaped()
    {
        using var home = new TempDirectory();
        const string answer = "It's `x` < y + 1 & done: é 中 🎉\n\u0001\u001b[31m red \u007f\u009b \u202Eevil\u202C \u2028\n";
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(answer));

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--json", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("It's `x` < y + 1 & done: é 中", "quotes, backticks, <, +, & and letters beyond ASCII need no escape in JSON");
        run.Output.Should().NotContain("\\u0027").And.NotContain("\\u0060").And.NotContain("\\u003C").And.NotContain("\\u002B").And.NotContain("\\u00E9").And.NotContain("\\u4E2D");
        run.Output.Should().Contain("\\u0001").And.Contain("\\u001B[31m").And.Contain("\\u007F").And.Contain("\\u009B").And.Contain("\\u202Eevil\\u202C").And.Contain("\\u2028");
        foreach (char active in "\u0001\u001b\u007f\u009b\u202e\u202c\u2028")
        {
            run.Output.Should().NotContain(active.ToString(), "a terminal would act on U+{0:X4}", (int)active);
        }

        // A strict parser (no trailing commas, no comments, valid UTF-8) reads every line, and the text comes back exactly.
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var text = new StringBuilder();
        foreach (string line in lines[..^1])
        {
            using JsonDocument document = JsonDocument.Parse(Encoding.UTF8.GetBytes(line), new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
            text.Append(document.RootElement.GetProperty("text").GetString());
        }

        text.ToString().Should().Be(answer);
        using JsonDocument last = JsonDocument.Parse(lines[^1]);
        last.RootElement.GetProperty("result").GetProperty("text").GetString().Should().Be(answer);
    }

    [TestCase("{\"text\":\"a\u202Eb\"}", "{\"text\":\"a\\u202Eb\"}")]
    [TestCase("{\"text\":\"\\\\\u2066\"}", "{\"text\":\"\\\\\\u2066\"}")]
    [TestCase("{\"text\":\"é中\"}", "{\"text\":\"é中\"}")]
    public void EscapeActiveCharacters_BidirectionalControlInAString_BecomesItsEscape(string json, string escaped)
    {
        string result = JsonLinesOutput.EscapeActiveCharacters(json);

        result.Should().Be(escaped);
        JsonDocument.Parse(result).RootElement.GetProperty("text").GetString().Should().Be(JsonDocument.Parse(json).RootElement.GetProperty("text").GetString());
    }
}
