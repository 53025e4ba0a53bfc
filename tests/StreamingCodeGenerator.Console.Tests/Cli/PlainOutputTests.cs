using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary>scg with standard output redirected: exactly the answer, no escape codes, the summary on standard error.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class PlainOutputTests
{
    [Test]
    public async Task Run_Redirected_PrintsExactlyTheAnswerAndTheSummaryOnStandardError()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script());

        ScgProcess.Result run = await ScgProcess.RunAsync(
            ["Write a bubble sort in Python", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path, ("OPENAI_API_KEY", Answers.ApiKey)), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be(Answers.Text);
        run.Output.Should().NotContain("\u001b");
        run.Error.Should().NotContain("\u001b").And.NotContain(Answers.ApiKey);
        string[] summary = run.Error.TrimEnd('\n').Split('\n');
        summary[0].Should().StartWith("Done in ").And.Contain(" tokens (server usage: 42 prompt + 97 completion = 139)")
            .And.Contain(" chunks from ").And.Contain("finish reason stop");
        summary[1].Should().Be("Code blocks: 2 — sort.py (python, 6 lines), block 2 (python, 1 lines)");
        summary.Should().HaveCount(2);
        RecordedRequest request = server.Requests.Single();
        request.Messages.Last().Content.Should().Be("Write a bubble sort in Python");
        request.ApiKey.Should().Be(Answers.ApiKey);
    }

    [Test]
    public async Task Run_LanguageSystemAndModelOptions_ReachTheRequest()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("ok\n"));

        ScgProcess.Result run = await ScgProcess.RunAsync(
            ["Sort a list", "--endpoint", server.Endpoint.AbsoluteUri, "--language", "Rust", "--model", "qwen2.5-coder", "--max-tokens", "321", "--temperature", "0.3"],
            ScgProcess.Environment(home.Path), home.Path);
        ScgProcess.Result withSystem = await ScgProcess.RunAsync(
            ["Sort a list", "--endpoint", server.Endpoint.AbsoluteUri, "--system", "Answer in haiku."], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        withSystem.ExitCode.Should().Be(0, withSystem.Error);
        RecordedRequest first = server.Requests[0];
        first.Model.Should().Be("qwen2.5-coder");
        first.Messages[0].Role.Should().Be("system");
        first.Messages[0].Content.Should().Contain("Rust");
        first.Body.Should().Contain("321").And.Contain("0.3");
        first.ApiKey.Should().BeNull("no key was set, and a local server needs none");
        server.Requests[1].Messages[0].Content.Should().Be("Answer in haiku.");
    }

    [Test]
    public async Task Run_Quiet_PrintsOnlyTheCode()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Answers.Script());

        ScgProcess.Result run = await ScgProcess.RunAsync(
            ["x", "--quiet", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be(Answers.SortCode + Answers.UsageCode);
        run.Error.Should().BeEmpty();
    }

    [TestCase("length", "it reached the output token limit (finish reason length) — raise --max-tokens")]
    [TestCase("content_filter", "a content filter withheld the rest (finish reason content_filter)")]
    public async Task Run_AnswerCut_CompletesWithANote(string finishReason, string note)
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("def f():\n", "    return 1\n").Finish(finishReason).Done());

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be("def f():\n    return 1\n");
        run.Error.Should().Contain("finish reason " + finishReason).And.Contain("Note: the answer was cut short: " + note);
        run.Error.Should().Contain("(the server reported no usage)");
    }

    [Test]
    public async Task Run_RateLimitedThenAnswered_SaysWhenItRetriesAndSucceeds()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.RateLimited(retryAfterMs: "200"), Respond.Answer("fine\n"));

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be("fine\n");
        run.Error.Should().Contain("scg: rate limited, retrying in 200 ms (attempt 2)").And.Contain("· 2 attempts ·");
    }
}
