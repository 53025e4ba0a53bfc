using System.Net;
using System.Net.Sockets;
using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Checks;

/// <summary>
/// <see cref="RepositoryTransformerOptions.Checks"/> on real repositories with real commands (<c>python3 -m py_compile</c>,
/// <c>git diff --check</c>) and a scripted model over loopback SSE: a failed check's output goes back to the model, the
/// revision is checked again, and how every check ended is in the result and the history.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RepositoryChecksTests
{
    private const string PyCompile = "python3 -m py_compile app.py";
    private const string Original = "def greet(name):\n    return 'hi ' + name\n";
    private const string Broken = "def greet(name) -> str\n    return 'hello ' + name\n";
    private const string Fixed = "def greet(name) -> str:\n    return 'hello ' + name\n";

    private static readonly Dictionary<string, string> Files = new() { ["app.py"] = Original, ["README.md"] = "# app\n" };

    [Test]
    public async Task RunAsync_FirstAnswerFailsTheCheck_SendsItsOutputBackAndChecksTheRevision()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        using var folder = new TempDirectory();
        await using var history = new SqliteRunHistory(folder.Combine("history.db"));
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("app.py", Broken, "python"))),
            Respond.Answer("The colon was missing.\n\n" + Answers.File("app.py", Fixed, "python")),
            Respond.Answer(Answers.Confident));
        var log = new EventLog();

        TransformResult result = await Transformer(server, Checks(PyCompile, "git diff --check"), history, reflect: 1)
            .RunAsync(new TransformRequest(repo.Root, "Say hello and type greet"), log);

        result.Outcome.Should().Be(TransformOutcome.Succeeded, string.Join("\n", result.Warnings));
        result.Verdict.Should().Be(ReviewVerdict.Confident);
        result.Rounds.Should().Be(3);
        log.Of<RoundStarted>().Select(r => r.Kind).Should().Equal(RoundKind.Generate, RoundKind.Fix, RoundKind.Review);
        result.Checks.Select(c => (c.Round, c.Command, c.ExitCode, c.TimedOut)).Should().Equal(
            (1, PyCompile, 1, false), (2, PyCompile, 0, false), (2, "git diff --check", 0, false));
        log.Events.OfType<TransformEvent>().Where(e => e is CheckStarted or CheckCompleted)
            .Select(e => e is CheckStarted s ? $"started {s.Round} {s.Command}" : $"completed {((CheckCompleted)e).Check.Round} {((CheckCompleted)e).Check.Command}")
            .Should().Equal($"started 1 {PyCompile}", $"completed 1 {PyCompile}", $"started 2 {PyCompile}", $"completed 2 {PyCompile}", "started 2 git diff --check", "completed 2 git diff --check");
        log.Of<CheckCompleted>().First().Output.Should().Contain("SyntaxError");

        // The revision request shows the model the failed command, how it ended and its output.
        server.Requests[1].Messages[0].Content.Should().Contain("fails one of the repository's checks");
        string fix = server.UserMessage(1);
        fix.Should().Contain($"the check `{PyCompile}` failed with exit code 1").And.Contain("SyntaxError").And.Contain("def greet(name) -> str\n");
        server.UserMessage(2).Should().Contain("[CONFIDENT]").And.Contain("+def greet(name) -> str:\n");

        // The final diff passes the check on the repository itself; the user's tree was never touched.
        (await repo.StatusAsync()).Should().BeEmpty();
        await repo.ApplyAsync(result.Diff);
        (await ProcessRunner.RunAsync("python3", ["-m", "py_compile", "app.py"], repo.Root)).ExitCode.Should().Be(0);

        RunRecord stored = (await history.GetAsync(result.RunId!.Value))!;
        stored.Outcome.Should().Be(TransformOutcome.Succeeded);
        stored.Checks.Select(c => (c.Round, c.Command, c.ExitCode, c.TimedOut)).Should().Equal(result.Checks.Select(c => (c.Round, c.Command, c.ExitCode, c.TimedOut)));
    }

    [Test]
    public async Task RunAsync_GitDiffCheck_SeesTheChangeAgainstTheBaseRevision()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("app.py", Original + "VALUE = 1   \n", "python"))),
            Respond.Answer("Trailing blanks removed.\n\n" + Answers.File("app.py", Original + "VALUE = 1\n", "python")));

        TransformResult result = await Transformer(server, Checks("git diff --check")).RunAsync(new TransformRequest(repo.Root, "Add VALUE"));

        result.Outcome.Should().Be(TransformOutcome.Succeeded);
        result.Checks.Select(c => c.Passed).Should().Equal(false, true);
        server.UserMessage(1).Should().Contain("app.py:3: trailing whitespace.");
        result.Diff.Should().Contain("+VALUE = 1\n");
    }

    [Test]
    public async Task RunAsync_CheckNeverPasses_IsChecksFailedAndNotApplied()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        using var folder = new TempDirectory();
        await using var history = new SqliteRunHistory(folder.Combine("history.db"));
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("app.py", Broken, "python"))),
            Respond.Answer("Still wrong.\n\n" + Answers.File("app.py", Broken + "# again\n", "python")),
            Respond.Answer(Answers.Confident));
        CheckOptions checks = Checks(PyCompile);
        checks.MaxRevisions = 1;

        TransformResult result = await Transformer(server, checks, history, reflect: 1).RunAsync(new TransformRequest(repo.Root, "Type greet") { Apply = true });

        result.Outcome.Should().Be(TransformOutcome.ChecksFailed);
        result.IsSuccess.Should().BeFalse();
        server.RequestCount.Should().Be(2, "one revision, and no review of a change that does not compile");
        result.Checks.Select(c => (c.Round, c.ExitCode)).Should().Equal((1, 1), (2, 1));
        result.Diff.Should().Contain("+# again\n", "the diff is the last one tried");
        result.Warnings.Should().Contain(w => w.Contains("still fails after 1 revision round", StringComparison.Ordinal))
            .And.Contain(w => w.Contains("not applied", StringComparison.Ordinal));
        repo.Read("app.py").Should().Be(Original);
        (await history.GetAsync(result.RunId!.Value))!.Outcome.Should().Be(TransformOutcome.ChecksFailed);
    }

    [Test]
    public async Task RunAsync_NoRevisionsAllowed_ReportsTheFailedCheckWithoutAskingAgain()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("app.py", Broken, "python"))));
        CheckOptions checks = Checks(PyCompile);
        checks.MaxRevisions = 0;

        TransformResult result = await Transformer(server, checks).RunAsync(new TransformRequest(repo.Root, "Type greet"));

        result.Outcome.Should().Be(TransformOutcome.ChecksFailed);
        server.RequestCount.Should().Be(1);
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task RunAsync_CheckHangs_ItsProcessesAreKilledAtTheTimeLimit(bool allowNetwork)
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        using var folder = new TempDirectory();
        string fifo = folder.Combine("started");
        (await ProcessRunner.RunAsync("mkfifo", [fifo], folder.Path)).ExitCode.Should().Be(0);
        string marker = "scg-hanging-check-" + Guid.NewGuid().ToString("N");

        // A process detached from the check's process tree (its parent shell exits, so it is no one's child) that says it
        // is running, then waits forever; the check itself hangs too.
        string command = $"(python3 -c \"import sys, time; open(sys.argv[1], 'w').write('up'); time.sleep(100000)\" '{fifo}' {marker} &); exec sleep 100000";
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("app.py", Fixed, "python"))));
        var clock = new StreamingCodeGeneration.Testing.TimerAwareFakeTimeProvider();
        var checks = new CheckOptions { InheritEnvironment = true, AllowNetwork = allowNetwork, MaxRevisions = 0, Timeout = TimeSpan.FromMinutes(5) };
        checks.Commands.Add(command);

        Task<string> started = Task.Run(() => File.ReadAllText(fifo));
        Task<TransformResult> run = Transformer(server, checks, time: clock).RunAsync(new TransformRequest(repo.Root, "Type greet"));
        if (await Task.WhenAny(started, run) == run)
        {
            await File.WriteAllTextAsync(fifo, "the run ended first");
            Assert.Fail($"The run ended before its check started: {(await run).Outcome}, {string.Join("; ", (await run).Warnings)}");
        }

        (await started).Should().Be("up");
        ProcessesWith(marker).Should().NotBeEmpty("the check's background process is running");
        await clock.WaitForTimerAsync(checks.Timeout);
        clock.Advance(checks.Timeout);

        // Killed, the check's pipes close at once; a process left holding them would be waited for a little longer.
        if (await Task.WhenAny(run, clock.WaitForTimerAsync(CheckProcess.DrainGrace)) != run)
        {
            clock.Advance(CheckProcess.DrainGrace);
        }

        TransformResult result = await run;

        result.Outcome.Should().Be(TransformOutcome.ChecksFailed);
        CheckRun check = result.Checks.Should().ContainSingle().Subject;
        check.TimedOut.Should().BeTrue();
        check.ExitCode.Should().BeNull();
        check.Duration.Should().Be(checks.Timeout);
        ProcessesWith(marker).Should().BeEmpty("the whole process group (or PID namespace) is killed");
    }

    [Test]
    public async Task RunAsync_SandboxedCheck_GetsARebuiltEnvironmentAndItsOwnHomeInTheWorktree()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        string passed = "SCG_TEST_PASSED_" + Guid.NewGuid().ToString("N");
        string secret = "SCG_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(passed, "passed-value");
        Environment.SetEnvironmentVariable(secret, "secret-value");
        try
        {
            await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("app.py", Fixed, "python"))));
            var checks = new CheckOptions { MaxRevisions = 0 };
            checks.PassEnvironment.Add(passed);
            checks.Commands.Add("env; echo \"cwd=$(pwd)\"; git status --porcelain; git log --format=%s; exit 3");
            var log = new EventLog();

            TransformResult result = await Transformer(server, checks).RunAsync(new TransformRequest(repo.Root, "Type greet"), log);

            result.Checks.Single().ExitCode.Should().Be(3);
            string output = log.Of<CheckCompleted>().Single().Output;
            output.Should().Contain($"{passed}=passed-value").And.NotContain(secret).And.NotContain("secret-value");
            output.Should().Contain("CI=true").And.Contain("GIT_CONFIG_NOSYSTEM=1").And.NotContain("OPENAI_").And.NotContain(TestGenerators.ApiKey);
            string[] lines = output.Split('\n');
            string home = lines.Single(l => l.StartsWith("HOME=", StringComparison.Ordinal))["HOME=".Length..];
            string cwd = lines.Single(l => l.StartsWith("cwd=", StringComparison.Ordinal))["cwd=".Length..];
            Path.GetFileName(home).Should().Be("home");
            Path.GetFileName(cwd).Should().Be("repo");
            Path.GetDirectoryName(home).Should().Be(Path.GetDirectoryName(cwd)).And.StartWith(Path.GetTempPath().TrimEnd('/')).And.NotBe(repo.Root);
            lines.Should().Contain(" M app.py", "the worktree is the base revision, committed, with the change applied").And.Contain("base");
            lines.Where(l => l.StartsWith("GIT_", StringComparison.Ordinal)).Should().BeEquivalentTo("GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0");
            Directory.Exists(cwd).Should().BeFalse("the worktree is removed after the checks");
        }
        finally
        {
            Environment.SetEnvironmentVariable(passed, null);
            Environment.SetEnvironmentVariable(secret, null);
        }
    }

    [Test]
    public async Task RunAsync_InheritedEnvironment_LeavesOutAnythingHoldingTheModelsKey()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        string holdsKey = "SCG_TEST_HOLDS_KEY_" + Guid.NewGuid().ToString("N");
        string plain = "SCG_TEST_PLAIN_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(holdsKey, "Bearer " + TestGenerators.ApiKey);
        Environment.SetEnvironmentVariable(plain, "plain-value");
        try
        {
            await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("app.py", Fixed, "python"))));
            CheckOptions checks = Checks("env; exit 3");
            checks.MaxRevisions = 0;
            var log = new EventLog();

            await Transformer(server, checks).RunAsync(new TransformRequest(repo.Root, "Type greet"), log);

            string output = log.Of<CheckCompleted>().Single().Output;
            output.Should().Contain($"{plain}=plain-value").And.NotContain(holdsKey).And.NotContain(TestGenerators.ApiKey);
            output.Should().Contain("HOME=" + Environment.GetEnvironmentVariable("HOME"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(holdsKey, null);
            Environment.SetEnvironmentVariable(plain, null);
        }
    }

    [TestCase(false, false)]
    [TestCase(true, true)]
    public async Task RunAsync_Network_IsCutOffUnlessAllowed(bool allowNetwork, bool connects)
    {
        if (!allowNetwork && !await CheckSandbox.CanIsolateNetworkAsync())
        {
            Assert.Ignore("This system does not allow unprivileged user namespaces (unshare): checks run with the network, and the run warns.");
        }

        using GitRepository repo = await GitRepository.CreateAsync(Files);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("app.py", Fixed, "python"))));
        var checks = new CheckOptions { AllowNetwork = allowNetwork, MaxRevisions = 0 };
        checks.Commands.Add($"python3 -c \"import socket; socket.create_connection(('127.0.0.1', {port}), timeout=30)\"");

        TransformResult result = await Transformer(server, checks).RunAsync(new TransformRequest(repo.Root, "Type greet"));

        result.Checks.Single().Passed.Should().Be(connects);
        result.Warnings.Should().NotContain(w => w.Contains("network access", StringComparison.Ordinal));
    }

    [Test]
    public async Task RunAsync_CheckPrintsALot_KeepsOnlyTheEndOfItsOutput()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("app.py", Fixed, "python"))));
        CheckOptions checks = Checks("head -c 5000000 /dev/zero | tr '\\0' 'x'; echo; echo 'the error is here' >&2; exit 1");
        checks.MaxRevisions = 0;
        checks.MaxOutputBytes = 1024;
        var log = new EventLog();

        await Transformer(server, checks).RunAsync(new TransformRequest(repo.Root, "Type greet"), log);

        string output = log.Of<CheckCompleted>().Single().Output;
        output.Length.Should().Be(1024);
        output.Should().EndWith("x\nthe error is here\n", "standard error is merged, in order, at the end");
    }

    [Test]
    public async Task RunAsync_HistoryIsAFolder_FailsBeforeTheModelIsAsked()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        using var folder = new TempDirectory();
        await using var history = new SqliteRunHistory(folder.Path);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(Answers.File("app.py", Fixed, "python"))));

        Func<Task> run = () => TestGenerators.Transformer(server, history).RunAsync(new TransformRequest(repo.Root, "Type greet"));

        (await run.Should().ThrowAsync<HistoryException>()).Which.Message.Should().Contain("is a folder");
        server.RequestCount.Should().Be(0, "nothing is billed for a run that cannot be stored");
    }

    [Test]
    public void Constructor_BlankCheckCommand_IsRefused()
    {
        var options = new RepositoryTransformerOptions();
        options.Checks.Commands.Add("  ");

        Action create = () => _ = new RepositoryTransformer(new StreamingCodeGenerator(new StreamingCodeGeneratorOptions { ApiKey = "k" }), options);

        create.Should().Throw<ArgumentException>().WithParameterName("Commands");
    }

    private static CheckOptions Checks(params string[] commands)
    {
        CheckOptions checks = CheckOptions.ForLocalUser();
        foreach (string command in commands)
        {
            checks.Commands.Add(command);
        }

        return checks;
    }

    private static RepositoryTransformer Transformer(OpenAITestServer server, CheckOptions checks, IRunHistory? history = null, int reflect = 0, TimeProvider? time = null) =>
        new(TestGenerators.Create(server), new RepositoryTransformerOptions
        {
            ReflectionRounds = reflect,
            RepositoryAccess = RepositoryAccess.ForLocalUser(),
            Checks = checks,
            TimeProvider = time ?? TimeProvider.System,
        }, history);

    /// <summary>The processes whose command line holds <paramref name="marker"/> (a zombie's is empty).</summary>
    private static List<int> ProcessesWith(string marker)
    {
        var found = new List<int>();
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out int pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(folder, "cmdline")).Contains(marker, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone while listed.
            }
        }

        return found;
    }
}
