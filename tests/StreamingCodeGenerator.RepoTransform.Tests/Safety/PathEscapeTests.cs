using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Safety;

/// <summary>End to end: a model that names a path outside the repository gets the whole run rejected, and nothing is written.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class PathEscapeTests
{
    [TestCase("ABSOLUTE", "absolute")]
    [TestCase("../escaped.txt", "'..'")]
    [TestCase("src/../../escaped.txt", "'..'")]
    [TestCase(".git/config", ".git/")]
    [TestCase(".git/hooks/post-checkout", ".git/")]
    [TestCase("link/escaped.txt", "symbolic link")]
    public async Task RunAsync_ModelNamesAnEscapingPath_RejectsTheRunAndWritesNothing(string path, string reason)
    {
        using GitRepository repo = await GitRepository.CreateAsync(new Dictionary<string, string> { ["a.txt"] = "a\n" });
        string outside = Path.Combine(repo.Outside, "outside");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(repo.FullPath("link"), outside);
        await repo.CommitAsync("a link out of the tree");
        string named = path == "ABSOLUTE" ? Path.Combine(outside, "escaped.txt") : path;
        string gitConfig = File.ReadAllText(Path.Combine(repo.Root, ".git", "config"));
        await using var history = new SqliteRunHistory(Path.Combine(repo.Outside, "history.db"));

        // A harmless edit first: rejection must not leave it applied either.
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer(Answers.Generation(
            Answers.File("a.txt", "changed\n"),
            Answers.File(named, "pwned\n"))));

        Func<Task> run = () => TestGenerators.Transformer(server, history).RunAsync(new TransformRequest(repo.Root, "Do it") { Apply = true });

        UnsafePathException refused = (await run.Should().ThrowAsync<UnsafePathException>()).Which;
        refused.Reason.Should().Contain(reason);
        refused.Path.Should().Be(named);
        repo.Read("a.txt").Should().Be("a\n");
        (await repo.StatusAsync()).Should().BeEmpty();
        File.Exists(Path.Combine(outside, "escaped.txt")).Should().BeFalse();
        File.Exists(Path.Combine(repo.Outside, "escaped.txt")).Should().BeFalse();
        File.ReadAllText(Path.Combine(repo.Root, ".git", "config")).Should().Be(gitConfig);
        RunRecord stored = (await history.ListRecentAsync(1)).Single();
        stored.Outcome.Should().Be(TransformOutcome.Rejected);
        stored.Error.Should().Contain("Refused the path");
    }

    [Test]
    public async Task RunAsync_ReviewNamesAnEscapingPath_RejectsTheRun()
    {
        using GitRepository repo = await GitRepository.CreateAsync(new Dictionary<string, string> { ["a.txt"] = "a\n" });
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(
            Respond.Answer(Answers.Generation(Answers.File("a.txt", "b\n"))),
            Respond.Answer(Answers.Revision(Answers.File("../x.txt", "x\n"))));

        Func<Task> run = () => TestGenerators.Transformer(server).RunAsync(new TransformRequest(repo.Root, "Do it"));

        await run.Should().ThrowAsync<UnsafePathException>();
        File.Exists(Path.Combine(repo.Outside, "x.txt")).Should().BeFalse();
    }
}
