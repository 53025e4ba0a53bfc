using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary>Every failure is one line on standard error that says what to do, with its own exit code, and never the key.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ExitCodeTests
{
    private static IEnumerable<TestCaseData> ServerFailures()
    {
        yield return Case(Respond.Unauthorized(), 3, "scg: Authentication failed: the server rejected the API key (HTTP 401, invalid_api_key) — check OPENAI_API_KEY.", "401");
        yield return Case(Respond.EchoApiKey(), 3, "scg: Authentication failed: the server rejected the API key", "401 echoing the key");
        yield return Case(Respond.Error(403, "Not allowed", code: "model_not_allowed"), 3, "scg: Authentication failed: the server refused access (HTTP 403, model_not_allowed) — check that OPENAI_API_KEY may use this model or deployment.", "403");
        yield return Case(Respond.RateLimited(retryAfterMs: "1"), 4, "scg: Rate limited: the server kept answering HTTP 429 after 4 attempts — wait a minute and try again.", "429 after the retries");
        yield return Case(Respond.RateLimited(code: "insufficient_quota"), 4, "scg: Quota exhausted: the account has no credit left for this model — check the plan and billing, or use another key.", "quota");
        yield return Case(new SseScript().Role().Content("partial").ErrorEvent("The engine overheated."), 6, "scg: The server reported an error mid-answer: ", "error event");
        yield return Case(new SseScript().Role().Content("partial").MalformedData(), 6, "scg: The server did not answer like an OpenAI-compatible API: ", "malformed stream");
        yield return Case(Respond.ServerError(501), 6, "scg: Server error: HTTP 501 (The server had an error while processing your request. Sorry about that!) — try again later.", "5xx");
        yield return Case(Respond.Error(400, "Invalid value for 'temperature'.", "invalid_request_error"), 1, "scg: The server refused the request: ", "400");
        yield return Case(Respond.ContextLengthExceeded(), 1, "scg: The prompt is too long for the model's context window — shorten it, or choose a model with a larger one.", "context length");
    }

    [TestCaseSource(nameof(ServerFailures))]
    public async Task Run_ServerFailure_PrintsOneLineAndExitsWithItsCode(Func<HttpContext, Task> script, int exitCode, string message)
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(script);

        ScgProcess.Result run = await ScgProcess.RunAsync(
            ["x", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path, ("OPENAI_API_KEY", Answers.ApiKey)), home.Path);

        run.ExitCode.Should().Be(exitCode, run.Error);
        string line = run.Error.TrimEnd('\n').Split('\n').Where(line => !line.Contains("retrying in", StringComparison.Ordinal)).Should().ContainSingle().Subject;
        line.Should().StartWith(message);
        (run.Output + run.Error).Should().NotContain(Answers.ApiKey).And.NotContain("0123456789abcdef").And.NotContain("   at ");
    }

    [Test]
    public async Task Run_TotalTimeout_ExitsWithFiveAndKeepsThePartialText()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("slow start").Stall());

        // The clock of a separate process cannot be faked: the limit has to leave room for a cold start on a loaded
        // machine (the first chunk must arrive inside it), so it is generous rather than short.
        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--timeout", "15", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(5, run.Error);
        run.Output.Should().Be("slow start");
        run.Error.Trim().Should().Be("scg: Timed out: the answer took longer than 15 s — raise --timeout, or ask for less.");
    }

    [Test]
    public async Task Run_ServerGone_ExitsWithSix()
    {
        using var home = new TempDirectory();
        // A port held by a socket that never listens: connecting is refused, and no parallel test can take the port.
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)reserved.LocalEndPoint!).Port}/v1/");

        // The library retries a refused connection three times (about 1 + 2 + 4 seconds of backoff) before giving up.
        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--endpoint", endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(6, run.Error);
        run.Error.TrimEnd('\n').Split('\n')[^1].Should().StartWith("scg: Connection failed: ").And.Contain("check --endpoint");
        run.Error.Should().Contain("connection lost, retrying in");
    }

    [TestCase(new[] { "x", "--temperature", "3" }, "scg: --temperature must be a number from 0 to 2, such as 0.7, not '3'. Run 'scg --help' for usage.")]
    [TestCase(new[] { "x", "--endpoint", "localhost:11434" }, "scg: --endpoint must be an absolute http or https URL")]
    [TestCase(new[] { "x", "--provider", "bedrock" }, "scg: --provider must be openai, responses, anthropic or azure, not 'bedrock'.")]
    [TestCase(new[] { "x", "--json", "--quiet" }, "scg: --json and --quiet cannot be combined")]
    [TestCase(new[] { "x", "--api-key", "sk-never-on-the-command-line" }, "scg: Unknown option '--api-key'")]
    public async Task Run_InvalidCommandLine_ExitsWithTwo(string[] arguments, string message)
    {
        using var home = new TempDirectory();

        ScgProcess.Result run = await ScgProcess.RunAsync(arguments, ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2);
        run.Error.Should().StartWith(message).And.NotContain("sk-never-on-the-command-line", "a key given on the command line is not echoed back");
        run.Output.Should().BeEmpty();
    }

    [TestCase("OPENAI_BASE_URL", "not a url", "scg: OPENAI_BASE_URL must be an absolute http or https URL such as http://localhost:11434/v1.")]
    [TestCase("AZURE_OPENAI_API_KEY", "azure-key-0123456789", "scg: Azure OpenAI needs its endpoint: set AZURE_OPENAI_ENDPOINT (or pass --endpoint)")]
    public async Task Run_BadEnvironment_ExitsWithTwo(string variable, string value, string message)
    {
        using var home = new TempDirectory();

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--provider", variable.StartsWith("AZURE", StringComparison.Ordinal) ? "azure" : "openai"], ScgProcess.Environment(home.Path, (variable, value)), home.Path);

        run.ExitCode.Should().Be(2);
        run.Error.Trim().Should().StartWith(message);
        run.Error.Should().NotContain("azure-key-0123456789");
    }

    private static TestCaseData Case(Func<HttpContext, Task> script, int exitCode, string message, string name) =>
        new TestCaseData(script, exitCode, message).SetName("Run_ServerFailure_" + name);
}
