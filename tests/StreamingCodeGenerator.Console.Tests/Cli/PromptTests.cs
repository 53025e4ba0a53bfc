using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary>Where the prompt comes from when none is given: piped standard input.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class PromptTests
{
    [Test]
    public async Task Run_NoPromptAndStdinPiped_SendsWhatWasPiped()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("done\n"));
        const string task = "# Task\n\nWrite a function that reverses a string.\nKeep it short.\n";

        ScgProcess.Result run = await ScgProcess.RunAsync(["--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path, input: task);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be("done\n");
        server.Requests.Single().Messages.Last().Content.Should().Be(task.Trim());
    }

    [Test]
    public async Task Run_NoPromptAndEmptyStdin_ExitsWithTwoAndSaysHowToGiveOne()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("never\n"));

        ScgProcess.Result run = await ScgProcess.RunAsync(["--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path, input: "  \n");

        run.ExitCode.Should().Be(2);
        run.Error.Trim().Should().StartWith("scg: No prompt: standard input was empty.").And.Contain("cat task.md | scg");
        server.RequestCount.Should().Be(0);
    }
}
