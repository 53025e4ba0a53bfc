using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Cli;

/// <summary><c>scg-transform</c> run as a real process against the loopback server.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class TransformCliTests
{
    private static readonly Dictionary<string, string> Files = new() { ["src/app.py"] = "print('hi')\n", ["old.txt"] = "old\n" };

    [Test]
    public async Task Run_HappyPath_WritesADiffFileThatGitAppliesAndListsTheFiles()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/app.py", "print('hello')\n", "python"), Answers.Delete("old.txt"))),
            Respond.Answer(Answers.Confident));
        string diffFile = Path.Combine(repo.Outside, "change.diff");
        string historyFile = Path.Combine(repo.Outside, "history.db");

        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--repo", repo.Root, "--prompt", "Say hello", "--out", diffFile, "--history", historyFile], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("round 1 (generate)").And.Contain("  writing src/app.py").And.Contain("review: confident");
        run.Output.Should().Contain("files changed:").And.Contain("M  src/app.py").And.Contain("D  old.txt");
        run.Output.Should().Contain($"diff written to {diffFile}");
        run.Output.Should().NotContain(TestGenerators.ApiKey);
        string diff = await File.ReadAllTextAsync(diffFile);
        (await repo.ApplyCheckAsync(diff)).ExitCode.Should().Be(0);
        (await repo.StatusAsync()).Should().BeEmpty("the CLI does not touch the tree without --apply");

        ProcessRunner.Result list = await CliProcess.RunAsync(["--list", "--history", historyFile], endpoint: null, repo.Outside, apiKey: null);

        list.ExitCode.Should().Be(0, list.Error);
        string[] lines = list.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("ID").And.Contain("OUTCOME").And.Contain("PROMPT");
        lines[1].Should().StartWith("1 ").And.Contain("Succeeded").And.Contain("Confident").And.Contain("Say hello");
    }

    [Test]
    public async Task Run_WithoutOut_PrintsOnlyTheDiffOnStandardOutput()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/app.py", "print('hello')\n", "python"))));

        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--repo", repo.Root, "--prompt", "Say hello", "--reflect", "0", "--history", Path.Combine(repo.Outside, "h.db")], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().StartWith("diff --git a/src/app.py b/src/app.py\n");
        run.Error.Should().Contain("files changed:");
        await repo.ApplyAsync(run.Output);
        repo.Read("src/app.py").Should().Be("print('hello')\n");
    }

    [Test]
    public async Task Run_DefaultHistory_IsASqliteFileInTheUsersDataFolder()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("No change needed.\n"));

        ProcessRunner.Result run = await CliProcess.RunAsync(["--repo", repo.Root, "--prompt", "Anything?"], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().Contain("no changes");
        File.Exists(Path.Combine(repo.Outside, ".local", "share", "StreamingCodeGenerator", "history.db")).Should().BeTrue();
        ProcessRunner.Result list = await CliProcess.RunAsync(["--list"], endpoint: null, repo.Outside, apiKey: null);
        list.Output.Should().Contain("NoChanges");
    }

    [Test]
    public async Task Run_Apply_ChangesTheWorkTree()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/app.py", "print('applied')\n", "python"))));

        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--repo", repo.Root, "--prompt", "Apply it", "--apply", "--reflect", "0", "--out", Path.Combine(repo.Outside, "c.diff"), "--history", Path.Combine(repo.Outside, "h.db")],
            server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("applied the diff to 1 files");
        repo.Read("src/app.py").Should().Be("print('applied')\n");
    }

    [Test]
    public async Task Run_UnsafePath_ExitsWithOneLineAndWritesNothing()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/app.py", "x\n"), Answers.File("../../escaped.txt", "pwned\n"))));
        string diffFile = Path.Combine(repo.Outside, "change.diff");

        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--repo", repo.Root, "--prompt", "Escape", "--out", diffFile, "--apply", "--history", Path.Combine(repo.Outside, "h.db")], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(1);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().StartWith("scg-transform: Refused the path '../../escaped.txt'");
        File.Exists(diffFile).Should().BeFalse();
        (await repo.StatusAsync()).Should().BeEmpty();
    }

    [Test]
    public async Task Run_NoKeyAndNoEndpoint_SaysWhatToSetAndWhereTheDemoIsAndExitsWithTwo()
    {
        using var home = new TempDirectory();

        ProcessRunner.Result run = await CliProcess.RunAsync(["--repo", home.Path, "--prompt", "x"], endpoint: null, home.Path, apiKey: null);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("OPENAI_API_KEY").And.Contain("OPENAI_BASE_URL").And.Contain("--endpoint").And.Contain("scg-transform --demo");
    }

    [Test]
    public async Task Run_MissingFolderAndNoModel_SaysTheFolderIsMissingFirst()
    {
        using var home = new TempDirectory();
        string missing = home.Combine("no-such-folder");

        ProcessRunner.Result run = await CliProcess.RunAsync(["--repo", missing, "--prompt", "x"], endpoint: null, home.Path, apiKey: null);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain($"'{missing}' was not found").And.NotContain("No model");
    }

    [Test]
    public async Task Run_HistoryIsAFolder_IsRefusedBeforeTheModelIsAsked()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("src/app.py", "print('hello')\n"))));

        ProcessRunner.Result run = await CliProcess.RunAsync(["--repo", repo.Root, "--prompt", "Say hello", "--history", repo.Outside], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(2);
        run.Error.TrimEnd().Split('\n').Should().ContainSingle().Which.Should().Be($"scg-transform: --history cannot be used: The run history '{repo.Outside}' is a folder; pass a file, such as '{Path.Combine(repo.Outside, "history.db")}'.");
        server.RequestCount.Should().Be(0, "the answer would be billed and then not stored");
    }

    [Test]
    public async Task Run_HistoryUnderAFile_IsRefusedBeforeTheModelIsAsked()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("src/app.py", "print('hello')\n"))));
        string file = Path.Combine(repo.Outside, "a-file");
        await File.WriteAllTextAsync(file, "not a folder");

        ProcessRunner.Result run = await CliProcess.RunAsync(["--repo", repo.Root, "--prompt", "Say hello", "--history", Path.Combine(file, "h.db")], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(2);
        run.Error.Should().StartWith("scg-transform: --history cannot be used: Could not open the run history");
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task Run_NoModelAndNoArguments_RunsTheLabelledOfflineDemoWhoseDiffGitApplies()
    {
        using var home = new TempDirectory();
        string history = home.Combine("h.db");

        ProcessRunner.Result run = await CliProcess.RunAsync(["--history", history], endpoint: null, home.Path, apiKey: null);

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().StartWith("scg-transform: offline demo — replaying a recorded answer to \"" + TransformDemo.Prompt + "\"")
            .And.Contain("nothing is sent anywhere").And.Contain("for a real model set OPENAI_API_KEY")
            .And.Contain("review: confident").And.Contain("offline demo: the example repository was a temporary folder, removed now");
        run.Output.Should().StartWith("diff --git a/temperature.py b/temperature.py\n");
        string example = home.Combine("example");
        await TransformDemo.CreateRepositoryAsync(example);
        ProcessRunner.Result apply = await ProcessRunner.RunAsync("git", ["apply", "--check", "-"], example, null, run.Output);
        apply.ExitCode.Should().Be(0, apply.Error);

        ProcessRunner.Result list = await CliProcess.RunAsync(["--list", "--history", history], endpoint: null, home.Path, apiKey: null);
        list.Output.Split('\n')[1].Should().Contain("Succeeded").And.Contain(TransformDemo.Model);
    }

    [Test]
    public async Task Run_DemoWithRepoAndACheck_KeepsTheExampleWhereTheDiffAppliesAndItsTestsPass()
    {
        using var home = new TempDirectory();
        string example = home.Combine("example");
        string diffFile = home.Combine("change.diff");

        // --demo runs the demo even with a model configured.
        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--demo", "--repo", example, "--out", diffFile, "--check", TransformDemo.ExampleCheck, "--history", home.Combine("h.db")], new Uri("http://127.0.0.1:9/v1/"), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().Contain("offline demo");
        run.Output.Should().Contain($"check passed (exit 0, ").And.Contain($"offline demo: the example repository is kept in {example}");
        ProcessRunner.Result apply = await ProcessRunner.RunAsync("git", ["apply", diffFile], example);
        apply.ExitCode.Should().Be(0, apply.Error);
        ProcessRunner.Result tests = await ProcessRunner.RunAsync("python3", ["-m", "unittest"], example);
        tests.ExitCode.Should().Be(0, tests.Error);
        tests.Error.Should().Contain("Ran 3 tests");
    }

    [Test]
    public async Task Run_DemoWithAPrompt_IsRefused()
    {
        using var home = new TempDirectory();

        ProcessRunner.Result run = await CliProcess.RunAsync(["--demo", "--prompt", "Something else"], endpoint: null, home.Path, apiKey: null);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("--demo answers its own prompt");
    }

    [Test]
    public async Task Run_CheckFailsThenPasses_ShowsBothChecksAndExitsZero()
    {
        using GitRepository repo = await GitRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print('hi')\n" });
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("app.py", "print('hello'\n", "python"))),
            Respond.Answer("Closed the parenthesis.\n\n" + Answers.File("app.py", "print('hello')\n", "python")));

        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--repo", repo.Root, "--prompt", "Say hello", "--reflect", "0", "--check", "python3 -m py_compile app.py", "--history", Path.Combine(repo.Outside, "h.db")], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(0, run.Error);
        run.Error.Should().Contain("check failed (exit 1, ").And.Contain("  | ").And.Contain("SyntaxError")
            .And.Contain("round 2 (fix after a failed check)").And.Contain("check passed (exit 0, ")
            .And.Contain("checks: 1 of 2 run(s) passed; last: python3 -m py_compile app.py passed");
        await repo.ApplyAsync(run.Output);
        repo.Read("app.py").Should().Be("print('hello')\n");
    }

    [Test]
    public async Task Run_CheckNeverPasses_ExitsWithEightAndStillWritesTheDiff()
    {
        using GitRepository repo = await GitRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print('hi')\n" });
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("app.py", "print('hello'\n", "python"))));
        string history = Path.Combine(repo.Outside, "h.db");

        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--repo", repo.Root, "--prompt", "Say hello", "--reflect", "0", "--check", "python3 -m py_compile app.py", "--max-revisions", "0", "--history", history], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(8, run.Error);
        run.Error.Should().Contain("NOT A SUCCESS: a check still fails (python3 -m py_compile app.py)");
        run.Output.Should().StartWith("diff --git a/app.py b/app.py\n", "what the run produced is not lost");
        ProcessRunner.Result list = await CliProcess.RunAsync(["--list", "--history", history], endpoint: null, repo.Outside, apiKey: null);
        list.Output.Split('\n')[1].Should().Contain("ChecksFailed").And.Contain("0/1 passed");
    }

    [Test]
    public async Task Run_ReviewIgnoresTheFormat_ExitsWithSevenAndSaysSo()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/app.py", "print('hello')\n", "python"))),
            Respond.Answer("Looks good to me!\n"));
        string history = Path.Combine(repo.Outside, "h.db");

        ProcessRunner.Result run = await CliProcess.RunAsync(["--repo", repo.Root, "--prompt", "Say hello", "--history", history], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(7, run.Error);
        run.Error.Should().Contain("review: unrecognized review answer").And.Contain("NOT A SUCCESS: the review's answer was neither [CONFIDENT] nor [REVISION NEEDED]");
        ProcessRunner.Result list = await CliProcess.RunAsync(["--list", "--history", history], endpoint: null, repo.Outside, apiKey: null);
        list.Output.Split('\n')[1].Should().Contain("ReviewUnrecognized").And.Contain("Unrecognized");
    }

    [TestCase("--reflect", "-1", "--reflect must be a whole number from 0 to 10")]
    [TestCase("--temperature", "3", "--temperature must be a number from 0 to 2")]
    [TestCase("--endpoint", "not-a-url", "--endpoint must be an absolute http or https URL")]
    public async Task Run_InvalidOption_ExitsWithTwo(string option, string value, string message)
    {
        using var home = new TempDirectory();

        ProcessRunner.Result run = await CliProcess.RunAsync(["--repo", home.Path, "--prompt", "x", option, value], endpoint: null, home.Path);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain(message);
    }

    [Test]
    public async Task Run_MissingPrompt_ExitsWithTwo()
    {
        using var home = new TempDirectory();

        ProcessRunner.Result run = await CliProcess.RunAsync(["--repo", home.Path], endpoint: null, home.Path);

        run.ExitCode.Should().Be(2);
        run.Error.Should().Contain("--repo and --prompt are required");
    }

    [Test]
    public async Task Run_HttpUrl_IsRefused()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Confident));

        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--repo", "http://example.invalid/repo.git", "--prompt", "x", "--history", Path.Combine(home.Path, "h.db")], server.Endpoint, home.Path);

        run.ExitCode.Should().Be(1);
        run.Error.Should().Contain("Only https, ssh and file URLs are accepted, not http");
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task Run_AuthenticationFails_ExitsWithThree()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Error(401, "Incorrect API key provided"));

        ProcessRunner.Result run = await CliProcess.RunAsync(
            ["--repo", repo.Root, "--prompt", "x", "--history", Path.Combine(repo.Outside, "h.db")], server.Endpoint, repo.Outside);

        run.ExitCode.Should().Be(3);
        run.Error.Should().Contain("Authentication failed");
    }

    [Test]
    public async Task Help_ListsEveryOption()
    {
        using var home = new TempDirectory();

        ProcessRunner.Result run = await CliProcess.RunAsync(["--help"], endpoint: null, home.Path);

        run.ExitCode.Should().Be(0);
        foreach (string option in new[] { "--repo", "--prompt", "--out", "--apply", "--reflect", "--max-prompt-tokens", "--check", "--check-timeout", "--max-revisions", "--demo", "--history", "--list", "--model", "--endpoint", "--timeout", "--max-tokens", "--temperature" })
        {
            run.Output.Should().Contain(option);
        }
    }
}
