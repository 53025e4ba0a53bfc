using System.Net;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>
/// Where <c>POST /run</c> may connect: loopback and private destinations are refused before any connection (names that
/// resolve there and redirects included), hosts allowed in <c>WebApi:Runs:AllowedRepositoryHosts</c> are cloned through
/// the checked connection, and every failure to fetch reads the same, so the answers do not map a network.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RunNetworkTests
{
    private const string Generation = "I add a greeting.\n\n```python path=app.py\nprint(\"hello\")\nprint(\"world\")\n```\n";

    [TestCase("127.0.0.1")]
    [TestCase("localhost")]
    [TestCase("repo.localhost")]
    [TestCase("[::ffff:127.0.0.1]")]
    [TestCase("2130706433")]
    public async Task Run_HostThatIsOrResolvesToLoopback_IsRefusedBeforeAnyConnection(string host)
    {
        await using ConnectionProbe probe = ConnectionProbe.Start(ProbeBehaviour.PlainHttp);
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        (HttpStatusCode status, JsonElement body, string everything) = await RunRepositoryUrlTests.RunAndCollectAsync(service, $"https://{host}:{probe.Port}/owner/repo.git");

        status.Should().Be(HttpStatusCode.UnprocessableEntity, everything);
        body.GetProperty("detail").GetString().Should().Be(RunRepositoryUrlTests.UniformFetchMessage);
        probe.Accepted.Should().Be(0, "a loopback destination is refused before connecting");
        upstream.RequestCount.Should().Be(0);
    }

    [TestCase(false, TestName = "Run_ClosedOpenAndPlainHttpPorts_DefaultSettings_AnswerTheSameMessage")]
    [TestCase(true, TestName = "Run_ClosedOpenAndPlainHttpPorts_LoopbackAllowed_AnswerTheSameMessage")]
    public async Task Run_ClosedOpenAndPlainHttpPorts_AnswerTheSameMessage(bool allowLoopback)
    {
        await using ConnectionProbe banner = ConnectionProbe.Start(ProbeBehaviour.Banner);
        await using ConnectionProbe plainHttp = ConnectionProbe.Start(ProbeBehaviour.PlainHttp);
        int closed = ConnectionProbe.ClosedPort();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        var settings = new Dictionary<string, string?>();
        if (allowLoopback)
        {
            settings["WebApi:Runs:AllowedRepositoryHosts:0"] = "127.0.0.1";
        }

        await using var service = await ServiceHost.StartAsync(upstream, settings);

        var answers = new List<(HttpStatusCode, string?, string?)>();
        foreach (int port in new[] { closed, banner.Port, plainHttp.Port })
        {
            (HttpStatusCode status, JsonElement body, string everything) = await RunRepositoryUrlTests.RunAndCollectAsync(service, $"https://127.0.0.1:{port}/owner/repo.git");
            answers.Add((status, body.GetProperty("code").GetString(), body.GetProperty("detail").GetString()));
        }

        answers.Should().AllBeEquivalentTo((HttpStatusCode.UnprocessableEntity, "repository_unavailable", RunRepositoryUrlTests.UniformFetchMessage));
        if (allowLoopback)
        {
            banner.Accepted.Should().BeGreaterThan(0, "with loopback allowed the open port was really reached");
            plainHttp.Accepted.Should().BeGreaterThan(0, "with loopback allowed the plain HTTP port was really reached");
        }
        else
        {
            (banner.Accepted + plainHttp.Accepted).Should().Be(0);
        }
    }

    [Test]
    public async Task Run_AllowedLoopbackGitServer_IsClonedThroughTheCheckedConnection()
    {
        using var authority = TestCertificateAuthority.Create();
        using TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print(\"hello\")\n" });
        await using GitHttpsServer git = await GitHttpsServer.StartAsync(authority, Path.Combine(repository.Root, ".git"));
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Generation), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["WebApi:Runs:AllowedRepositoryHosts:0"] = $"127.0.0.1:{git.Port}",
            ["WebApi:Runs:RepositoryCaCertificates"] = authority.PemFile,
        });

        (HttpStatusCode status, JsonElement body, string everything) = await RunRepositoryUrlTests.RunAndCollectAsync(service, $"https://127.0.0.1:{git.Port}/repo.git");

        status.Should().Be(HttpStatusCode.OK, everything);
        body.GetProperty("diff").GetString().Should().Contain("+print(\"world\")");
        git.Requests.Should().Contain(r => r.StartsWith("GET /repo.git/info/refs", StringComparison.Ordinal))
            .And.Contain(r => r.StartsWith("POST /repo.git/git-upload-pack", StringComparison.Ordinal));
    }

    [Test]
    public async Task Run_RedirectFromAnAllowedHostToALoopbackPort_IsNotFollowed()
    {
        using var authority = TestCertificateAuthority.Create();
        await using ConnectionProbe target = ConnectionProbe.Start(ProbeBehaviour.PlainHttp);
        using TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print(\"hello\")\n" });
        await using GitHttpsServer redirecting = await GitHttpsServer.StartAsync(authority, Path.Combine(repository.Root, ".git"), redirectTo: new Uri($"https://127.0.0.1:{target.Port}/"));
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["WebApi:Runs:AllowedRepositoryHosts:0"] = $"127.0.0.1:{redirecting.Port}",
            ["WebApi:Runs:RepositoryCaCertificates"] = authority.PemFile,
        });

        (HttpStatusCode status, JsonElement body, string everything) = await RunRepositoryUrlTests.RunAndCollectAsync(service, $"https://127.0.0.1:{redirecting.Port}/repo.git");

        status.Should().Be(HttpStatusCode.UnprocessableEntity, everything);
        body.GetProperty("detail").GetString().Should().Be(RunRepositoryUrlTests.UniformFetchMessage);
        redirecting.Requests.Should().NotBeEmpty("the allowed host was asked and answered with the redirect");
        target.Accepted.Should().Be(0, "the redirect's loopback target is checked like the first host, and refused");
    }

    [Test]
    public async Task Run_AllowedHostOnAnotherPort_IsRefusedBeforeAnyConnection()
    {
        await using ConnectionProbe probe = ConnectionProbe.Start(ProbeBehaviour.PlainHttp);
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["WebApi:Runs:AllowedRepositoryHosts:0"] = $"127.0.0.1:{ConnectionProbe.ClosedPort()}",
        });

        (HttpStatusCode status, JsonElement body, _) = await RunRepositoryUrlTests.RunAndCollectAsync(service, $"https://127.0.0.1:{probe.Port}/owner/repo.git");

        status.Should().Be(HttpStatusCode.UnprocessableEntity);
        body.GetProperty("detail").GetString().Should().Be(RunRepositoryUrlTests.UniformFetchMessage);
        probe.Accepted.Should().Be(0, "an entry with a port allows that port only");
    }
}
