using System.Text;
using System.Text.Json;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary>Without a key or an endpoint, scg replays the recorded answer from a loopback server and says so.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class DemoTests
{
    [Test]
    public async Task Run_NoKeyAndNoEndpoint_ReplaysTheRecordedAnswerLabelledOnStandardError()
    {
        using var home = new TempDirectory();
        string folder = home.Combine("saved");

        ScgProcess.Result run = await ScgProcess.RunAsync(["Write a bubble sort in C#", "--save", folder], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be(RecordedAnswer());
        string[] errors = run.Error.TrimEnd('\n').Split('\n');
        errors[0].Should().StartWith("scg: offline demo — replaying a recorded answer to \"Write a bubble sort in C#\" from a loopback server (http://127.0.0.1:");
        errors[1].Should().StartWith("scg: for a real model set OPENAI_API_KEY, or OPENAI_BASE_URL / --endpoint");
        run.Error.Should().Contain("(server usage: 73 prompt + 490 completion = 563)").And.Contain("Code blocks: 2 — BubbleSort.cs (csharp, 29 lines), block 2 (csharp, 3 lines)");
        File.ReadAllText(Path.Combine(folder, "BubbleSort.cs")).Should().StartWith("using System;\n").And.Contain("public static void Sort<T>(IList<T> items)");
        File.Exists(Path.Combine(folder, "block-2.cs")).Should().BeTrue();
    }

    [Test]
    public async Task Run_DemoOption_WinsOverAConfiguredServer()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("real\n"));

        ScgProcess.Result run = await ScgProcess.RunAsync(
            ["--demo", "--json", "anything"], ScgProcess.Environment(home.Path, ("OPENAI_API_KEY", Answers.ApiKey), ("OPENAI_BASE_URL", server.Endpoint.AbsoluteUri)), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        server.RequestCount.Should().Be(0);
        run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Should().Contain("\"result\":").And.Contain("BubbleSort.cs");
        run.Error.Should().Contain("offline demo");
    }

    [Test]
    public void Transcript_IsARealisticAnswer_ACodeBlockWithAFileNameThenAnExplanation()
    {
        string answer = RecordedAnswer();

        answer.Should().StartWith("Here's a bubble sort in C#.").And.Contain("```csharp title=\"BubbleSort.cs\"\n").And.Contain("### How it works");
        answer.IndexOf("```csharp title", StringComparison.Ordinal).Should().BeLessThan(answer.IndexOf("How it works", StringComparison.Ordinal));
    }

    /// <summary>The text of the embedded transcript's content deltas, in order.</summary>
    private static string RecordedAnswer()
    {
        var text = new StringBuilder();
        foreach (string line in OfflineDemo.LoadTranscript().GetBodyText().Split('\n'))
        {
            if (!line.StartsWith("data: {", StringComparison.Ordinal))
            {
                continue;
            }

            using JsonDocument chunk = JsonDocument.Parse(line["data: ".Length..]);
            foreach (JsonElement choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
            {
                if (choice.GetProperty("delta").TryGetProperty("content", out JsonElement content))
                {
                    text.Append(content.GetString());
                }
            }
        }

        return text.ToString();
    }
}
