using System.Net;
using System.Net.Sockets;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.CommandLines;

/// <summary>Arguments a careless or hostile user might give, beyond each option's bad values (<see cref="BadArgumentTests"/>).</summary>
[Parallelizable(ParallelScope.All)]
public sealed class HostileArgumentTests
{
    [Test]
    public async Task Scg_PromptStartingWithAt_IsThePromptNotAResponseFile()
    {
        using var home = new TempDirectory();
        File.WriteAllText(home.Combine("team"), "--demo\n");
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("ok\n"));

        ScgProcess.Result run = await ScgProcess.RunAsync(["@team", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        server.Requests.Single().Messages.Last().Content.Should().Be("@team", "an argument starting with @ is not read as a file of arguments");
    }

    [Test]
    public async Task Scg_ControlCharactersInArguments_AreShownVisiblyInTheError()
    {
        using var home = new TempDirectory();

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "\u001b]0;pwned\u0007", "--provider", "\u001b[2J\nsecond line"], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Be(
            "scg: Unrecognized command or argument '^[]0;pwned^G'.\n" +
            "scg: --provider must be openai, responses, anthropic or azure, not '^[[2J^Jsecond line'. Run 'scg --help' for usage.\n");
    }

    [Test]
    public async Task ApiClient_PasswordInTheBaseUrl_IsNeverPrinted()
    {
        using var home = new TempDirectory();
        // A port held by a socket that never listens: connecting is refused.
        using var reserved = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        reserved.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = ((IPEndPoint)reserved.LocalEndPoint!).Port;

        ScgProcess.Result refused = await CliProgram.ApiClient.RunAsync(
            ["--base-url", $"http://alice:secret-password@127.0.0.1:{port}/", "--test", "normal"], ScgProcess.Environment(home.Path), home.Path);
        ScgProcess.Result invalid = await CliProgram.ApiClient.RunAsync(
            ["--base-url", "htp://alice:secret-password@127.0.0.1/", "--test", "normal"], ScgProcess.Environment(home.Path), home.Path);

        refused.ExitCode.Should().Be(6, refused.Error);
        refused.Error.Should().StartWith($"An error occurred while requesting the API at http://127.0.0.1:{port}/: ");
        invalid.ExitCode.Should().Be(2, invalid.Error);
        (refused.Output + refused.Error + invalid.Output + invalid.Error).Should().NotContain("secret-password");
    }

    [TestCase("--timeout", "86400", "--max-tokens", "4000")]
    [TestCase("--timeout", "0.001", "--temperature", "2")]
    public async Task Scg_LargestAndSmallestValues_AreAcceptedAndSent(string option1, string value1, string option2, string value2)
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("ok\n"));

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", option1, value1, option2, value2, "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.Error.Should().NotContain("must be").And.NotContain("   at ");
        run.ExitCode.Should().BeOneOf([0, 5], "a millisecond may run out before the answer: {0}", run.Error);
    }

    [Test]
    public async Task Scg_MaxTokensLargerThanTheContextWindow_SaysSoBeforeSendingAnything()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("never\n"));

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--max-tokens", "2147483647", "--model", "gpt-4o-mini", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2, run.Error);
        run.Error.Should().Be("scg: --max-tokens alone is more than the model's context window holds, leaving no room for the prompt — lower --max-tokens; nothing was sent.\n");
        server.RequestCount.Should().Be(0);
    }
}
