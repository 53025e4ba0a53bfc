using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests;

[Parallelizable(ParallelScope.All)]
public sealed class RepositoryTransformerTests
{
    private static readonly Dictionary<string, string> Files = new()
    {
        ["src/app.py"] = "def greet(name):\n    return 'hi ' + name\n\n\nprint(greet('world'))\n",
        ["src/util.py"] = "def add(a, b):\n    return a + b\n",
        ["old.txt"] = "obsolete\n",
        ["docs/guide.md"] = "# Guide\n\nUse greet.\n",
    };

    [Test]
    public async Task RunAsync_ConfidentReview_ReturnsDiffThatGitAppliesOnTheOriginalTree()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        string newApp = "def greet(name: str) -> str:\n    return 'hi ' + name\n\n\nprint(greet('world'))\n";
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(
                Answers.File("src/app.py", newApp, "python"),
                Answers.File("src/new_module.py", "VALUE = 1\n", "python"),
                Answers.Delete("old.txt"))),
            Respond.Answer(Answers.Confident));
        var log = new EventLog();

        TransformResult result = await TestGenerators.Transformer(server).RunAsync(new TransformRequest(repo.Root, "Add type hints to greet"), log);

        result.Outcome.Should().Be(TransformOutcome.Succeeded);
        result.Verdict.Should().Be(ReviewVerdict.Confident);
        result.Rounds.Should().Be(2);
        result.Files.Select(f => (f.Path, f.Kind)).Should().Equal(
            ("old.txt", FileChangeKind.Deleted), ("src/app.py", FileChangeKind.Modified), ("src/new_module.py", FileChangeKind.Added));
        result.Diff.Should().Contain("diff --git a/src/app.py b/src/app.py\n--- a/src/app.py\n+++ b/src/app.py\n@@ -1,4 +1,4 @@\n-def greet(name):\n+def greet(name: str) -> str:\n");
        result.Diff.Should().Contain("diff --git a/old.txt b/old.txt\ndeleted file mode 100644\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-obsolete\n");
        result.Diff.Should().Contain("diff --git a/src/new_module.py b/src/new_module.py\nnew file mode 100644\n--- /dev/null\n+++ b/src/new_module.py\n@@ -0,0 +1 @@\n+VALUE = 1\n");
        (await repo.StatusAsync()).Should().BeEmpty("nothing touches the source tree without Apply");

        (await repo.ApplyCheckAsync(result.Diff)).ExitCode.Should().Be(0);
        await repo.ApplyAsync(result.Diff);
        repo.Read("src/app.py").Should().Be(newApp);
        repo.Read("src/new_module.py").Should().Be("VALUE = 1\n");
        repo.Exists("old.txt").Should().BeFalse();
        log.Events[^1].Should().BeOfType<RunCompleted>();
        server.UserMessage(1).Should().Contain("[CONFIDENT]").And.Contain(result.Diff, "the review is shown the diff");
    }

    [Test]
    public async Task RunAsync_RevisionThenConfident_UsesTheRevisedFilesAndReviewsThemAgain()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/util.py", "def add(a, b):\n    return a - b\n", "python"))),
            Respond.Answer(Answers.Revision(Answers.File("src/util.py", "def add(a: int, b: int) -> int:\n    return a + b\n", "python"))),
            Respond.Answer(Answers.Confident));
        var log = new EventLog();

        TransformResult result = await TestGenerators.Transformer(server, reflect: 2).RunAsync(new TransformRequest(repo.Root, "Type add"), log);

        server.RequestCount.Should().Be(3);
        result.Verdict.Should().Be(ReviewVerdict.Confident);
        result.Rounds.Should().Be(3);
        log.Of<ReviewCompleted>().Select(r => r.Verdict).Should().Equal(ReviewVerdict.RevisionNeeded, ReviewVerdict.Confident);
        server.UserMessage(2).Should().Contain("def add(a: int, b: int) -> int:", "the second review sees the revision");
        await repo.ApplyAsync(result.Diff);
        repo.Read("src/util.py").Should().Be("def add(a: int, b: int) -> int:\n    return a + b\n");
    }

    [Test]
    public async Task RunAsync_RevisionWithOneRound_KeepsTheRevisionUnreviewed()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/util.py", "def add(a, b):\n    return a - b\n", "python"))),
            Respond.Answer(Answers.Revision(Answers.File("src/util.py", "def add(a, b):\n    return b + a\n", "python"))));

        TransformResult result = await TestGenerators.Transformer(server, reflect: 1).RunAsync(new TransformRequest(repo.Root, "Fix add"));

        server.RequestCount.Should().Be(2);
        result.Verdict.Should().Be(ReviewVerdict.RevisionNeeded);
        result.Diff.Should().Contain("+    return b + a\n");
    }

    [TestCase("CONFIDENT")]
    [TestCase("**[CONFIDENT]**")]
    [TestCase("The change looks right. [CONFIDENT]")]
    [TestCase("")]
    public async Task RunAsync_UnparsableVerdict_IsNotASuccessKeepsTheDiffBeforeTheReviewAndStoresTheOutcome(string answer)
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        using var folder = new TempDirectory();
        await using var history = new SqliteRunHistory(folder.Combine("history.db"));
        string before = "def add(a, b):\n    return a + b  # checked\n";
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/util.py", before, "python"))),
            Respond.Answer(answer + "\n" + Answers.File("src/util.py", "garbage\n", "python")));
        var log = new EventLog();

        TransformResult result = await TestGenerators.Transformer(server, history, reflect: 3).RunAsync(new TransformRequest(repo.Root, "Comment add") { Apply = true }, log);

        result.Outcome.Should().Be(TransformOutcome.ReviewUnrecognized);
        result.IsSuccess.Should().BeFalse();
        (await history.GetAsync(result.RunId!.Value))!.Outcome.Should().Be(TransformOutcome.ReviewUnrecognized);
        repo.Read("src/util.py").Should().Be(Files["src/util.py"], "a change that is not a success is never applied");

        server.RequestCount.Should().Be(2, "an unrecognized verdict ends the reflection");
        result.Verdict.Should().Be(ReviewVerdict.Unrecognized);
        log.Of<ReviewCompleted>().Single().Verdict.Should().Be(ReviewVerdict.Unrecognized);
        result.Warnings.Should().ContainSingle(w => w.Contains("neither [CONFIDENT] nor [REVISION NEEDED]", StringComparison.Ordinal))
            .And.ContainSingle(w => w.Contains("not applied", StringComparison.Ordinal));
        result.Diff.Should().Contain("+    return a + b  # checked\n").And.NotContain("garbage");
    }

    [Test]
    public async Task RunAsync_ReflectionOff_SendsOneRequestAndReportsNotReviewed()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/util.py", "def add(a, b):\n    return b + a\n", "python"))));

        TransformResult result = await TestGenerators.Transformer(server, reflect: 0).RunAsync(new TransformRequest(repo.Root, "Swap"));

        server.RequestCount.Should().Be(1);
        result.Verdict.Should().Be(ReviewVerdict.NotReviewed);
        result.Rounds.Should().Be(1);
    }

    [Test]
    public async Task RunAsync_StreamingAnswer_ReportsTheFileBeforeTheModelHasFinishedWritingIt()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        var log = new EventLog();

        // The server sends the opening fence and two lines, then waits until the run has reported that file's second
        // line; only then does it send the rest. A run that reported files only when complete would never open the gate.
        Task seen = log.When(e => e is FileProgress { Path: "src/app.py", Lines: 2 });
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Gated(
                "Rewriting app.\n\n```python path=src/app.py\nline one\nline two\n",
                seen,
                "line three\n```\n"));

        TransformResult result = await TestGenerators.Transformer(server, reflect: 0).RunAsync(new TransformRequest(repo.Root, "Rewrite app"), log);

        List<TransformEvent> events = log.Events.Where(e => e is FileStarted or FileProgress or FileCompleted).ToList();
        events.Should().Equal(
            new FileStarted(1, "src/app.py", FileEditKind.Write),
            new FileProgress(1, "src/app.py", 1, ((FileProgress)events[1]).OutputTokens),
            new FileProgress(1, "src/app.py", 2, ((FileProgress)events[2]).OutputTokens),
            new FileProgress(1, "src/app.py", 3, ((FileProgress)events[3]).OutputTokens),
            new FileCompleted(1, "src/app.py", FileEditKind.Write, 3));
        events.OfType<FileProgress>().Select(p => p.OutputTokens).Should().BeInAscendingOrder().And.OnlyContain(t => t > 0);
        result.Files.Should().ContainSingle(f => f.Path == "src/app.py");
    }

    [Test]
    public async Task RunAsync_NewDeletedAndRenamedFiles_DiffAppliesAndMovesTheFile()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(
                Answers.Delete("src/util.py"),
                Answers.File("src/math_utils.py", "def add(a, b):\n    return a + b\n", "python"),
                Answers.File("CHANGELOG", "Renamed util.py to math_utils.py\n"),
                "DELETE: docs/guide.md\n")));

        TransformResult result = await TestGenerators.Transformer(server, reflect: 0).RunAsync(new TransformRequest(repo.Root, "Rename util.py to math_utils.py"));

        result.Files.Select(f => (f.Path, f.Kind)).Should().Equal(
            ("CHANGELOG", FileChangeKind.Added), ("docs/guide.md", FileChangeKind.Deleted),
            ("src/math_utils.py", FileChangeKind.Added), ("src/util.py", FileChangeKind.Deleted));
        (await repo.ApplyCheckAsync(result.Diff)).ExitCode.Should().Be(0);
        await repo.ApplyAsync(result.Diff);
        repo.Exists("src/util.py").Should().BeFalse();
        repo.Exists("docs/guide.md").Should().BeFalse();
        repo.Read("src/math_utils.py").Should().Be(Files["src/util.py"]);
        await repo.GitAsync("add", "-A");
        (await repo.GitAsync("diff", "--cached", "-M", "--name-status")).Should().Contain("R100\tsrc/util.py\tsrc/math_utils.py", "git sees the delete + add as a rename");
    }

    [Test]
    public async Task RunAsync_CrlfFileWithoutFinalNewline_KeepsItsLineEndingsAndEnd()
    {
        var files = new Dictionary<string, string> { ["win.txt"] = "one\r\ntwo\r\nthree" };
        using GitRepository repo = await GitRepository.CreateAsync(files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("win.txt", "one\n2\nthree\nfour\n"))));

        TransformResult result = await TestGenerators.Transformer(server, reflect: 0).RunAsync(new TransformRequest(repo.Root, "Number two, add four"));

        server.UserMessage(0).Should().Contain("one\ntwo\nthree\n", "the model sees \\n endings");
        result.Diff.Should().Contain("-two\r\n").And.Contain("+2\r\n").And.Contain("\\ No newline at end of file\n");
        await repo.ApplyAsync(result.Diff);
        repo.Read("win.txt").Should().Be("one\r\n2\r\nthree\r\nfour");
    }

    [Test]
    public async Task RunAsync_TokenBudget_LeavesFilesOutAndSaysSo()
    {
        var files = new Dictionary<string, string>
        {
            ["parser.py"] = "def parse(text):\n    return text.split()\n",
            ["big_unrelated.txt"] = string.Concat(Enumerable.Repeat("lorem ipsum dolor sit amet\n", 400)),
            ["notes.txt"] = "misc\n",
        };
        using GitRepository repo = await GitRepository.CreateAsync(files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("parser.py", "def parse(text):\n    return text.split(',')\n", "python"))));
        var log = new EventLog();

        TransformResult result = await TestGenerators.Transformer(server, reflect: 0, maxPromptTokens: 900).RunAsync(new TransformRequest(repo.Root, "Make parse in parser.py split on commas"), log);

        FilesSelected selected = log.Of<FilesSelected>().Single();
        selected.Included.Select(f => f.Path).Should().Contain("parser.py").And.NotContain("big_unrelated.txt");
        selected.Excluded.Should().Contain(new ExcludedFile("big_unrelated.txt", ExclusionReason.OverBudget, selected.Excluded.Single(f => f.Path == "big_unrelated.txt").Tokens));
        selected.Excluded.Single(f => f.Path == "big_unrelated.txt").Tokens.Should().BeGreaterThan(900);
        selected.PromptTokens.Should().BeLessThanOrEqualTo(900);
        result.ExcludedFiles.Should().Contain(f => f.Path == "big_unrelated.txt" && f.Reason == ExclusionReason.OverBudget);
        string prompt = server.UserMessage(0);
        prompt.Should().Contain("big_unrelated.txt", "left-out files are still listed by name").And.NotContain("lorem ipsum");
        prompt.Should().Contain("```python path=parser.py\ndef parse(text):\n");
    }

    [Test]
    public async Task RunAsync_BudgetTooSmallForTheTaskAlone_FailsBeforeAskingTheModel()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Confident));

        Func<Task> run = () => TestGenerators.Transformer(server, maxPromptTokens: 50).RunAsync(new TransformRequest(repo.Root, "Do it"));

        (await run.Should().ThrowAsync<TransformException>()).Which.Message.Should().Contain("more than the budget of 50");
        server.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task RunAsync_ModelRewritesAFileItWasNotShown_IgnoresItWithAWarning()
    {
        var files = new Dictionary<string, string> { ["a.txt"] = "a\n", ["package-lock.json"] = "{ }\n" };
        using GitRepository repo = await GitRepository.CreateAsync(files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("package-lock.json", "{ \"x\": 1 }\n", "json"), Answers.File("a.txt", "b\n"))));

        TransformResult result = await TestGenerators.Transformer(server, reflect: 0).RunAsync(new TransformRequest(repo.Root, "Change"));

        result.Files.Select(f => f.Path).Should().Equal("a.txt");
        result.Warnings.Should().ContainSingle(w => w.Contains("'package-lock.json'", StringComparison.Ordinal) && w.Contains("not shown", StringComparison.Ordinal));
    }

    [Test]
    public async Task RunAsync_AnswerWithoutFiles_EndsWithNoChangesAndNoReview()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("Nothing needs to change.\n"));

        TransformResult result = await TestGenerators.Transformer(server).RunAsync(new TransformRequest(repo.Root, "Anything to do?"));

        result.Outcome.Should().Be(TransformOutcome.NoChanges);
        result.Diff.Should().BeEmpty();
        result.Explanation.Should().Be("Nothing needs to change.");
        server.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task RunAsync_AnswerCutOffInsideAFile_FailsAndUsesNothing()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using var history = new SqliteRunHistory(Path.Combine(repo.Outside, "h.db"));
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer("```python path=src/app.py\ndef greet(", finishReason: "length"));

        Func<Task> run = () => TestGenerators.Transformer(server, history).RunAsync(new TransformRequest(repo.Root, "Rewrite"));

        (await run.Should().ThrowAsync<AnswerFormatException>()).Which.Message.Should().Contain("cut off").And.Contain("src/app.py");
        RunRecord stored = (await history.ListRecentAsync(1)).Single();
        stored.Outcome.Should().Be(TransformOutcome.Failed);
        stored.Error.Should().Contain("cut off");
    }

    [Test]
    public async Task RunAsync_ModelFails_RecordsItsOwnWordsNotTheProvidersAndThrowsTheLibrarysException()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using var history = new SqliteRunHistory(Path.Combine(repo.Outside, "h.db"));
        await using StreamingCodeGeneration.Testing.OpenAITestServer server = await StreamingCodeGeneration.Testing.OpenAITestServer.StartAsync(Respond.Error(401, "Incorrect API key provided: sk-test-****CRET, see https://internal.example/keys"));

        Func<Task> run = () => TestGenerators.Transformer(server, history).RunAsync(new TransformRequest(repo.Root, "Rewrite"));

        await run.Should().ThrowAsync<AuthenticationFailedException>();
        RunRecord stored = (await history.ListRecentAsync(1)).Single();
        stored.Outcome.Should().Be(TransformOutcome.Failed);
        stored.Error.Should().Be("The model provider rejected the credentials.");
    }

    [Test]
    public async Task RunAsync_HostDescribesFailures_TheHistoryKeepsTheHostsWords()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using var history = new SqliteRunHistory(Path.Combine(repo.Outside, "h.db"));
        await using StreamingCodeGeneration.Testing.OpenAITestServer server = await StreamingCodeGeneration.Testing.OpenAITestServer.StartAsync(Respond.Error(500, "shard db-7 failed"));
        var transformer = new RepositoryTransformer(
            TestGenerators.Create(server),
            new RepositoryTransformerOptions { RepositoryAccess = RepositoryAccess.ForLocalUser(), DescribeFailure = failure => $"host words for {failure.GetType().Name}" },
            history);

        Func<Task> run = () => transformer.RunAsync(new TransformRequest(repo.Root, "Rewrite"));

        await run.Should().ThrowAsync<ApiException>();
        (await history.ListRecentAsync(1)).Single().Error.Should().Be("host words for ApiException");
    }

    [Test]
    public async Task RunAsync_UrlWithCredentials_NeitherTheHistoryNorTheResultNorTheErrorHoldsThem()
    {
        using var folder = new TempDirectory();
        await using var history = new SqliteRunHistory(folder.Combine("h.db"));
        await using StreamingCodeGeneration.Testing.OpenAITestServer server = await StreamingCodeGeneration.Testing.OpenAITestServer.StartAsync(Respond.Answer("never"));
        int closed = ClosedPort();

        Func<Task> run = () => TestGenerators.Transformer(server, history).RunAsync(new TransformRequest($"https://alice:s3cr3t-pw@127.0.0.1:{closed}/o/r.git", "Rewrite"));
        Func<Task> withQuery = () => TestGenerators.Transformer(server, history).RunAsync(new TransformRequest($"https://alice:s3cr3t-pw@127.0.0.1:{closed}/o/r.git?token=t0ken#frag", "Rewrite"));

        RepositoryFetchException failure = (await run.Should().ThrowAsync<RepositoryFetchException>()).Which;
        RepositoryUrlException refused = (await withQuery.Should().ThrowAsync<RepositoryUrlException>()).Which;
        IReadOnlyList<RunRecord> stored = await history.ListRecentAsync(2);
        stored.Select(r => r.Repository).Should().Equal($"https://127.0.0.1:{closed}/o/r.git", $"https://127.0.0.1:{closed}/o/r.git");
        failure.Detail.Should().Contain($"127.0.0.1:{closed}", "the log learns where git failed");
        foreach (string text in stored.Select(r => r.Error!).Concat([failure.Message, failure.Detail!, refused.Message]))
        {
            text.Should().NotContain("s3cr3t-pw").And.NotContain("alice").And.NotContain("t0ken");
        }

        server.RequestCount.Should().Be(0);
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Test]
    public async Task RunAsync_CancelledWhileStreaming_RecordsACancelledRun()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using var history = new SqliteRunHistory(Path.Combine(repo.Outside, "h.db"));
        using var cancel = new CancellationTokenSource();
        var log = new EventLog();
        _ = log.When(e => e is FileStarted).ContinueWith(_ => cancel.Cancel(), TaskScheduler.Default);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Gated("```python path=src/app.py\nx = 1\n", new TaskCompletionSource().Task, "```\n"));

        Func<Task> run = () => TestGenerators.Transformer(server, history).RunAsync(new TransformRequest(repo.Root, "Rewrite"), log, cancel.Token);

        await run.Should().ThrowAsync<OperationCanceledException>();
        (await history.ListRecentAsync(1)).Single().Outcome.Should().Be(TransformOutcome.Cancelled);
    }

    [Test]
    public async Task RunAsync_Apply_WritesTheChangeToACleanTree()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/util.py", "def add(a, b):\n    return b + a\n", "python"), Answers.Delete("old.txt"))),
            Respond.Answer(Answers.Confident));
        var log = new EventLog();

        TransformResult result = await TestGenerators.Transformer(server).RunAsync(new TransformRequest(repo.Root, "Swap") { Apply = true }, log);

        result.Outcome.Should().Be(TransformOutcome.Applied);
        log.Of<ChangesApplied>().Should().ContainSingle();
        repo.Read("src/util.py").Should().Be("def add(a, b):\n    return b + a\n");
        repo.Exists("old.txt").Should().BeFalse();
        (await repo.StatusAsync()).Should().Contain(" M src/util.py").And.Contain(" D old.txt");
    }

    [Test]
    public async Task RunAsync_ApplyOnADirtyTree_RefusesBeforeAskingTheModel()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        repo.Write("src/util.py", "uncommitted\n");
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Confident));

        Func<Task> run = () => TestGenerators.Transformer(server).RunAsync(new TransformRequest(repo.Root, "Swap") { Apply = true });

        (await run.Should().ThrowAsync<RepositoryException>()).Which.Message.Should().Contain("uncommitted changes").And.Contain("src/util.py");
        server.RequestCount.Should().Be(0);
        repo.Read("src/util.py").Should().Be("uncommitted\n");
    }

    [Test]
    public async Task RunAsync_ApplyOnAUrl_IsRefused()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Confident));

        Func<Task> run = () => TestGenerators.Transformer(server).RunAsync(new TransformRequest(new Uri(repo.Root).AbsoluteUri, "Swap") { Apply = true });

        (await run.Should().ThrowAsync<RepositoryException>()).Which.Message.Should().Contain("local repository");
    }

    [Test]
    public async Task RunAsync_FileUrl_ClonesShallowlyAndTheDiffAppliesToTheOriginal()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/util.py", "def add(a, b):\n    return b + a\n", "python"))));
        var log = new EventLog();
        string url = new Uri(repo.Root).AbsoluteUri;

        TransformResult result = await TestGenerators.Transformer(server, reflect: 0).RunAsync(new TransformRequest(url, "Swap"), log);

        RepositoryOpened opened = log.Of<RepositoryOpened>().Single();
        opened.IsClone.Should().BeTrue();
        opened.Root.Should().NotBe(repo.Root);
        Directory.Exists(opened.Root).Should().BeFalse("the temporary clone is removed after the run");
        result.Commit.Should().Be(await repo.HeadAsync());
        result.Repository.Should().Be(url);
        await repo.ApplyAsync(result.Diff);
        repo.Read("src/util.py").Should().Be("def add(a, b):\n    return b + a\n");
    }

    [Test]
    public async Task RunAsync_HistoryGiven_StoresTheRunInSqlite()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        string database = Path.Combine(repo.Outside, "history.db");
        await using var history = new SqliteRunHistory(database);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/util.py", "def add(a, b):\n    return b + a\n", "python"))),
            Respond.Answer(Answers.Confident));

        TransformResult result = await TestGenerators.Transformer(server, history).RunAsync(new TransformRequest(repo.Root, "Swap the operands"));

        result.RunId.Should().NotBeNull();
        RunRecord stored = (await history.GetAsync(result.RunId!.Value))!;
        stored.Repository.Should().Be(repo.Root);
        stored.Commit.Should().Be(await repo.HeadAsync());
        stored.Prompt.Should().Be("Swap the operands");
        stored.Model.Should().Be("gpt-4o-mini");
        stored.Diff.Should().Be(result.Diff);
        stored.Files.Should().Equal(new FileChange("src/util.py", FileChangeKind.Modified, 1, 1));
        stored.PromptTokens.Should().Be(result.PromptTokens).And.BePositive();
        stored.CompletionTokens.Should().Be(result.CompletionTokens).And.BePositive();
        stored.Rounds.Should().Be(2);
        stored.Verdict.Should().Be(ReviewVerdict.Confident);
        stored.Outcome.Should().Be(TransformOutcome.Succeeded);
        stored.Error.Should().BeNull();
        stored.Duration.Should().Be(TimeSpan.FromMilliseconds((long)result.Duration.TotalMilliseconds));
        File.Exists(database).Should().BeTrue();
    }

    [Test]
    public async Task StreamAsync_YieldsTheProgressThenRunCompletedWithTheDiff()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("src/util.py", "def add(a, b):\n    return b + a\n", "python"))),
            Respond.Answer(Answers.Confident));

        var events = new List<TransformEvent>();
        await foreach (TransformEvent transformEvent in TestGenerators.Transformer(server).StreamAsync(new TransformRequest(repo.Root, "Swap")))
        {
            events.Add(transformEvent);
        }

        events.Select(e => e.GetType().Name).Should().StartWith(["RepositoryOpened", "FilesSelected", "RoundStarted", "FileStarted"]);
        events.Should().ContainSingle(e => e is ReviewCompleted);
        events[^1].Should().BeOfType<RunCompleted>().Which.Result.Diff.Should().Contain("+    return b + a\n");
    }

    [Test]
    public async Task StreamAsync_ConsumerStopsEarly_CancelsTheRunAndRecordsIt()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using var history = new SqliteRunHistory(Path.Combine(repo.Outside, "h.db"));
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Gated("```python path=src/app.py\nx = 1\n", new TaskCompletionSource().Task, "```\n"));

        await foreach (TransformEvent transformEvent in TestGenerators.Transformer(server, history).StreamAsync(new TransformRequest(repo.Root, "Rewrite")))
        {
            if (transformEvent is FileStarted)
            {
                break;
            }
        }

        (await history.ListRecentAsync(1)).Single().Outcome.Should().Be(TransformOutcome.Cancelled);
    }

    [Test]
    public async Task StreamAsync_RunFails_ThrowsTheRunsExceptionAfterItsEvents()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Files);
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("```text path=../escape.txt\nx\n```\n"));
        var events = new List<TransformEvent>();

        Func<Task> run = async () =>
        {
            await foreach (TransformEvent transformEvent in TestGenerators.Transformer(server).StreamAsync(new TransformRequest(repo.Root, "Escape")))
            {
                events.Add(transformEvent);
            }
        };

        await run.Should().ThrowAsync<UnsafePathException>();
        events.Should().Contain(e => e is RoundStarted).And.NotContain(e => e is RunCompleted);
    }
}
