using StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

namespace StreamingCodeGeneration.RepoTransform.Tests.Repositories;

[Parallelizable(ParallelScope.All)]
public sealed class RepositorySourceTests
{
    private static readonly RepositoryAccess LocalUser = RepositoryAccess.ForLocalUser();
    private static readonly RepositoryAccess Service = new();

    [TestCase("https://github.com/owner/repo", "https", "https://github.com/owner/repo")]
    [TestCase("https://github.com/owner/repo.git", "https", "https://github.com/owner/repo.git")]
    [TestCase("HTTPS://GitHub.COM/owner/repo.git", "https", "https://github.com/owner/repo.git")]
    [TestCase("https://git.example:8443/owner/repo.git", "https", "https://git.example:8443/owner/repo.git")]
    [TestCase("ssh://git@github.com/owner/repo.git", "ssh", "ssh://git@github.com/owner/repo.git")]
    [TestCase("git@github.com:owner/repo.git", "ssh", "git@github.com:owner/repo.git")]
    [TestCase("file:///srv/git/repo.git", "file", "file:///srv/git/repo.git")]
    public void Parse_AllowedUrl_IsAGitUrlRebuiltFromItsParts(string value, string scheme, string location)
    {
        RepositorySource source = RepositorySource.Parse(value, LocalUser);

        source.Kind.Should().Be(RepositorySourceKind.GitUrl);
        source.Scheme.Should().Be(scheme);
        source.Location.Should().Be(location);
    }

    [TestCase("https://2130706433/r.git", "127.0.0.1")]
    [TestCase("https://0x7f.1/r.git", "127.0.0.1")]
    [TestCase("https://0177.0.0.1/r.git", "127.0.0.1")]
    [TestCase("https://127.1/r.git", "127.0.0.1")]
    [TestCase("https://0x7f.0x100/r.git", "127.0.1.0")]
    [TestCase("https://0/r.git", "0.0.0.0")]
    [TestCase("https://[0:0:0:0:0:ffff:7f00:1]/r.git", "[::ffff:127.0.0.1]")]
    [TestCase("https://\uFF4C\uFF4F\uFF43\uFF41\uFF4C\uFF48\uFF4F\uFF53\uFF54/r.git", "localhost")]
    [TestCase("https://\uFF11\uFF12\uFF17\u3002\uFF10\u3002\uFF10\u3002\uFF11/r.git", "127.0.0.1")]
    [TestCase("https://b\u00FCcher.example/r.git", "xn--bcher-kva.example")]
    public void Parse_HostInAnySpelling_IsReadAsAResolverReadsIt(string value, string host)
    {
        RepositorySource source = RepositorySource.Parse(value, Service);

        source.Host.Should().Be(host);
        source.Location.Should().Be($"https://{host}/r.git", "git is given the host as it was read, never the caller's spelling");
    }

    [Test]
    public void Parse_HttpsUrlWithCredentials_KeepsThemApartFromEverythingShownOrStored()
    {
        RepositorySource source = RepositorySource.Parse("https://alice:p%40ss%3Aw%2Frd@github.com/owner/repo.git", Service);

        source.UserName.Should().Be("alice");
        source.Password.Should().Be("p@ss:w/rd");
        source.Location.Should().Be("https://github.com/owner/repo.git");
        source.Display.Should().Be("https://github.com/owner/repo.git");
    }

    [TestCase("https:\\/127.0.0.1/../../../../etc/apt", "must be followed by '//'")]
    [TestCase("https:/\\127.0.0.1/../../../../etc/apt", "must be followed by '//'")]
    [TestCase("https:/../../etc/apt", "must be followed by '//'")]
    [TestCase("https:\u2215\u2215127.0.0.1/x", "must be followed by '//'")]
    [TestCase("https://github.com\\@127.0.0.1/x", "backslash")]
    [TestCase("https://github.com/o/../../etc", "'..' segment")]
    [TestCase("https://github.com/o/%2e%2E/etc", "'..' segment")]
    [TestCase("https://github.com/o/%2Fetc", "encoded separator")]
    [TestCase("https://github.com/./o/r", "'..' segment")]
    [TestCase("https://github.com/o/r?x=1", "query or a fragment")]
    [TestCase("https://github.com/o/r#x", "query or a fragment")]
    [TestCase("https://github.com/o r", "space")]
    [TestCase("https://github.com/o/r\n", "U+000A")]
    [TestCase("https://github.com/o/\u0000r", "U+0000")]
    [TestCase("\u202Ehttps://github.com/o/r", "U+202E")]
    [TestCase("https://[::1%25lo]/r", "zone id")]
    [TestCase("https://[::1/r", "closing ']'")]
    [TestCase("https://::1/r", "port")]
    [TestCase("https://h:0/r", "port")]
    [TestCase("https://h:65536/r", "port")]
    [TestCase("https://h:+443/r", "port")]
    [TestCase("https://h:/r", "port")]
    [TestCase("https://256.0.0.1/r", "not a valid one")]
    [TestCase("https://1.2.3.4.5/r", "not a valid one")]
    [TestCase("https://0x7f.0x1000000/r", "not a valid one")]
    [TestCase("https://08.0.0.1/r", "not a valid one")]
    [TestCase("https://bad_host/r", "letters, digits")]
    [TestCase("https://h%2Fx/r", "letters, digits")]
    [TestCase("https://host..example/r", "empty label")]
    [TestCase("https:///r", "no host")]
    [TestCase("https://@/r", "no host")]
    [TestCase("https://github.com", "names no repository path")]
    [TestCase("https://github.com/", "names no repository path")]
    [TestCase("https://a b@github.com/r", "space")]
    [TestCase("https://a%zz@github.com/r", "percent-encoding")]
    [TestCase("https://a%0a@github.com/r", "percent-encoding")]
    [TestCase("https://a\"b@github.com/r", "must be percent-encoded")]
    public void Parse_MalformedUrl_IsRefusedWithoutRepeatingIt(string value, string reason)
    {
        Action parse = () => RepositorySource.Parse(value, LocalUser);

        string message = parse.Should().Throw<RepositoryUrlException>().Which.Message;
        message.Should().Contain(reason);
        message.Should().NotContain("127.0.0.1").And.NotContain("github.com", "the message says what is wrong, not the value (it may hold credentials)");
    }

    [TestCase("file:///etc/apt", "file URLs")]
    [TestCase("FILE:///etc/apt", "file URLs")]
    [TestCase("file:/etc/apt", "file URLs")]
    [TestCase("/etc/apt", "Folders on this machine")]
    [TestCase("./../../etc/apt", "Folders on this machine")]
    [TestCase("\\\\?\\C:\\Windows", "Folders on this machine")]
    [TestCase("\\\\server\\share\\repo", "Folders on this machine")]
    [TestCase("//server/share/repo", "Folders on this machine")]
    [TestCase("ssh://git@github.com/o/r", "Only https URLs are accepted, not ssh")]
    [TestCase("git@github.com:o/r.git", "ssh (user@host:path) is not accepted")]
    [TestCase("http://github.com/o/r", "Only https URLs are accepted, not http")]
    [TestCase("git://github.com/o/r", "not git")]
    [TestCase("ext::sh -c touch% /tmp/pwned", "not ext")]
    [TestCase("a::b", "transport syntax")]
    [TestCase("--upload-pack=touch /tmp/pwned", "option")]
    [TestCase("   ", "No repository given")]
    public void Parse_ForAService_RefusesEveryFolderAndEveryOtherScheme(string value, string reason)
    {
        Action parse = () => RepositorySource.Parse(value, Service);

        parse.Should().Throw<RepositoryUrlException>().Which.Message.Should().Contain(reason);
    }

    [TestCase("https://h:22/r", "ssh")]
    [TestCase("file://server/share/r", "no host")]
    [TestCase("ssh://git:pw@github.com/o/r", "takes no password")]
    public void Parse_ForTheLocalUser_StillRefusesWhatGitWouldMisread(string value, string reason)
    {
        Action parse = () => RepositorySource.Parse(value, LocalUser);

        if (reason == "ssh")
        {
            parse.Should().NotThrow("a port is a network matter, checked when connecting");
            return;
        }

        parse.Should().Throw<RepositoryUrlException>().Which.Message.Should().Contain(reason);
    }

    [TestCase("/definitely/not/here", "not found")]
    public void Parse_MissingFolder_ThrowsWithAClearMessage(string value, string message)
    {
        Action parse = () => RepositorySource.Parse(value, LocalUser);

        parse.Should().Throw<RepositoryException>().Which.Message.Should().Contain(message);
    }

    [Test]
    public void Parse_ExistingFolder_IsLocalForTheLocalUserAndRefusedForAService()
    {
        using var folder = new TempDirectory();

        RepositorySource source = RepositorySource.Parse(folder.Path + Path.DirectorySeparatorChar, LocalUser);
        Action service = () => RepositorySource.Parse(folder.Path, Service);

        source.Kind.Should().Be(RepositorySourceKind.LocalFolder);
        source.Location.Should().Be(folder.Path);
        service.Should().Throw<RepositoryUrlException>();
    }

    [TestCase("https://alice:pw@host/o/r.git", "https://host/o/r.git")]
    [TestCase("https://alice:pw@evil@host/o/r.git?token=x#y", "https://host/o/r.git")]
    [TestCase("https:\\\\alice:pw@host\\o", "https:\\\\host\\o")]
    [TestCase("ssh://git@host/o/r.git", "ssh://host/o/r.git")]
    [TestCase("git@host:o/r.git", "git@host:o/r.git")]
    [TestCase("/home/me/my@repo", "/home/me/my@repo")]
    [TestCase("https://h/o\u0007r\u202E", "https://h/o?r?")]
    public void Sanitize_AnyValue_DropsUserInformationQueryAndControlCharacters(string value, string safe) =>
        RepositorySource.Sanitize(value).Should().Be(safe);

    [Test]
    public async Task OpenAsync_FileUrl_ClonesShallowlyWithoutACheckoutAndRemovesTheCloneOnDispose()
    {
        using GitRepository repo = await GitRepository.CreateAsync(new Dictionary<string, string> { ["a.txt"] = "1\n" });
        repo.Write("a.txt", "2\n");
        await repo.CommitAsync("second");
        var options = new RepositoryTransformerOptions { RepositoryAccess = LocalUser };

        RepositoryWorkspace workspace = await RepositoryWorkspace.OpenAsync(RepositorySource.Parse(new Uri(repo.Root).AbsoluteUri, LocalUser), options, CancellationToken.None);
        string root = workspace.Root;
        string commits;
        byte[]? contents;
        await using (workspace)
        {
            workspace.IsClone.Should().BeTrue();
            workspace.IsGitRepository.Should().BeTrue();
            workspace.Commit.Should().Be(await repo.HeadAsync());
            File.Exists(Path.Combine(root, "a.txt")).Should().BeFalse("nothing is checked out: files are read from git's objects");
            RepositoryEntry entry = (await workspace.ListAsync(10, [], CancellationToken.None)).Single();
            entry.Path.Should().Be("a.txt");
            entry.Size.Should().Be(2);
            contents = await workspace.ReadAsync(entry, 1024, CancellationToken.None);
            commits = (await ProcessRunner.RunAsync("git", ["rev-list", "--count", "HEAD"], root)).Output.Trim();
        }

        contents.Should().Equal("2\n"u8.ToArray());
        commits.Should().Be("1", "the clone is shallow");
        Directory.Exists(root).Should().BeFalse();
    }

    [Test]
    public async Task OpenAsync_UrlThatCannotBeCloned_ThrowsTheUniformMessageWithGitsWordsAsDetail()
    {
        using var missing = new TempDirectory();
        var options = new RepositoryTransformerOptions { RepositoryAccess = LocalUser };

        Func<Task> open = () => RepositoryWorkspace.OpenAsync(RepositorySource.Parse(new Uri(missing.Combine("nope")).AbsoluteUri, LocalUser), options, CancellationToken.None);

        RepositoryFetchException failure = (await open.Should().ThrowAsync<RepositoryFetchException>()).Which;
        failure.Message.Should().Be(RepositoryFetchException.UniformMessage);
        failure.Detail.Should().Contain("does not appear to be a git repository");
    }

    [Test]
    public async Task OpenAsync_ServerThatNeverAnswers_StopsAtCloneTimeoutWithTheUniformMessage()
    {
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        silent.Start();
        int port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var time = new StreamingCodeGeneration.Testing.TimerAwareFakeTimeProvider();
        var options = new RepositoryTransformerOptions { TimeProvider = time, CloneTimeout = TimeSpan.FromMinutes(2) };
        options.RepositoryAccess.AllowedHosts.Add($"127.0.0.1:{port}");
        RepositorySource source = RepositorySource.Parse($"https://127.0.0.1:{port}/r.git", options.RepositoryAccess);

        Task<RepositoryWorkspace> open = RepositoryWorkspace.OpenAsync(source, options, CancellationToken.None);
        using System.Net.Sockets.Socket held = await silent.AcceptSocketAsync();
        await time.WaitForTimerAsync(TimeSpan.FromMinutes(2));
        time.Advance(TimeSpan.FromMinutes(2));

        RepositoryFetchException failure = (await open.Awaiting(o => o).Should().ThrowAsync<RepositoryFetchException>()).Which;
        failure.Message.Should().Be(RepositoryFetchException.UniformMessage);
        failure.Detail.Should().Contain("took longer than 00:02:00 (CloneTimeout)");
    }

    [Test]
    public async Task ListAsync_MoreFilesThanTheLimit_ThrowsNamingIt()
    {
        using GitRepository repo = await GitRepository.CreateAsync(Enumerable.Range(0, 12).ToDictionary(i => $"f{i}.txt", i => $"{i}\n"));

        await using RepositoryWorkspace workspace = await RepositoryWorkspace.OpenAsync(RepositorySource.Parse(repo.Root, LocalUser), new RepositoryTransformerOptions(), CancellationToken.None);
        Func<Task> list = () => workspace.ListAsync(10, [], CancellationToken.None);

        RepositoryLimitException failure = (await list.Should().ThrowAsync<RepositoryLimitException>()).Which;
        failure.Setting.Should().Be("MaxFilesScanned");
        failure.Limit.Should().Be(10);
        failure.Message.Should().Contain("more than 10 files").And.Contain("(MaxFilesScanned)");
    }
}
