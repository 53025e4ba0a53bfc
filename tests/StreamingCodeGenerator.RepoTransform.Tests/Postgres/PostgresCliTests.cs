using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Postgres;

[Parallelizable(ParallelScope.All)]
public sealed class PostgresCliTests
{
    [Test]
    public async Task Run_PostgresHistory_StoresTheRunAndListShowsIt()
    {
        string connection = await PostgresSetUp.Server.CreateDatabaseAsync();
        using GitRepository repo = await GitRepository.CreateAsync(new Dictionary<string, string> { ["a.txt"] = "a\n" });
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("a.txt", "b\n"))));

        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--repo", repo.Root, "--prompt", "a to b", "--reflect", "0", "--out", Path.Combine(repo.Outside, "c.diff"), "--history", connection], server.Endpoint, repo.Outside);
        ProcessRunner.Result list = await CliProcess.RunAsync(["--list", "--history", connection], endpoint: null, repo.Outside, apiKey: null);

        run.ExitCode.Should().Be(0, run.Error);
        list.ExitCode.Should().Be(0, list.Error);
        list.Output.Should().Contain("Succeeded").And.Contain("NotReviewed").And.Contain("a to b");
    }
}
