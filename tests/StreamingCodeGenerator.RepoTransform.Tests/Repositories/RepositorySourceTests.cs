using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Repositories;

[Parallelizable(ParallelScope.All)]
public sealed class RepositorySourceTests
{
    [TestCase("https://github.com/owner/repo", "https")]
    [TestCase("https://github.com/owner/repo.git", "https")]
    [TestCase("ssh://git@github.com/owner/repo.git", "ssh")]
    [TestCase("git@github.com:owner/repo.git", "ssh")]
    [TestCase("file:///srv/git/repo.git", "file")]
    public void Parse_AllowedUrl_IsAGitUrlWithItsTransport(string value, string scheme)
    {
        RepositorySource source = RepositorySource.Parse(value);

        source.Kind.Should().Be(RepositorySourceKind.GitUrl);
        source.Scheme.Should().Be(scheme);
        source.Location.Should().Be(value);
    }

    [TestCase("http://github.com/owner/repo", "http is not allowed")]
    [TestCase("git://github.com/owner/repo", "git is not allowed")]
    [TestCase("ftp://example.com/repo", "ftp is not allowed")]
    [TestCase("ext::sh -c touch% /tmp/pwned", "ext::")]
    [TestCase("--upload-pack=touch /tmp/pwned", "option")]
    [TestCase("-u x", "option")]
    [TestCase("https://", "not a valid https URL")]
    [TestCase("/definitely/not/here", "not found")]
    [TestCase("   ", "No repository")]
    public void Parse_RefusedOrMissing_ThrowsWithAClearMessage(string value, string message)
    {
        Action parse = () => RepositorySource.Parse(value);

        parse.Should().Throw<RepositoryException>().Which.Message.Should().Contain(message);
    }

    [Test]
    public void Parse_ExistingFolder_IsLocal()
    {
        using var folder = new TempDirectory();

        RepositorySource source = RepositorySource.Parse(folder.Path + Path.DirectorySeparatorChar);

        source.Kind.Should().Be(RepositorySourceKind.LocalFolder);
        source.Location.Should().Be(folder.Path);
    }

    [Test]
    public async Task OpenAsync_FileUrl_ClonesShallowlyAndRemovesTheCloneOnDispose()
    {
        using GitRepository repo = await GitRepository.CreateAsync(new Dictionary<string, string> { ["a.txt"] = "1\n" });
        repo.Write("a.txt", "2\n");
        await repo.CommitAsync("second");

        RepositoryWorkspace workspace = await RepositoryWorkspace.OpenAsync(RepositorySource.Parse(new Uri(repo.Root).AbsoluteUri), "git", CancellationToken.None);
        string root = workspace.Root;
        string commits;
        await using (workspace)
        {
            workspace.IsClone.Should().BeTrue();
            workspace.IsGitRepository.Should().BeTrue();
            workspace.Commit.Should().Be(await repo.HeadAsync());
            File.ReadAllText(Path.Combine(root, "a.txt")).Should().Be("2\n");
            commits = (await ProcessRunner.RunAsync("git", ["rev-list", "--count", "HEAD"], root)).Output.Trim();
        }

        commits.Should().Be("1", "the clone is shallow");
        Directory.Exists(root).Should().BeFalse();
    }

    [Test]
    public async Task OpenAsync_UrlThatCannotBeCloned_ThrowsWithGitsWords()
    {
        using var missing = new TempDirectory();

        Func<Task> open = () => RepositoryWorkspace.OpenAsync(RepositorySource.Parse(new Uri(missing.Combine("nope")).AbsoluteUri), "git", CancellationToken.None);

        (await open.Should().ThrowAsync<RepositoryException>()).Which.Message.Should().StartWith("Could not clone");
    }
}
