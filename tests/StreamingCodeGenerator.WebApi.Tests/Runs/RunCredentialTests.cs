using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>
/// A repository URL with credentials (<c>https://alice:PASSWORD@host/repo.git</c>): the clone uses them, and they are
/// never stored (<c>GET /runs</c>, <c>GET /runs/{id}</c>), logged, sent in an answer or a progress event, or put on a
/// command line another user could read with <c>ps</c>.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RunCredentialTests
{
    private const string Generation = "I add a greeting.\n\n```python path=app.py\nprint(\"hello\")\nprint(\"world\")\n```\n";

    private static Dictionary<string, string?> Settings(GitHttpsServer git, TestCertificateAuthority authority) => new()
    {
        ["WebApi:Runs:AllowedRepositoryHosts:0"] = $"127.0.0.1:{git.Port}",
        ["WebApi:Runs:RepositoryCaCertificates"] = authority.PemFile,
        ["Logging:LogLevel:Default"] = "Trace",
        ["Logging:LogLevel:Microsoft"] = "Trace",
    };

    [TestCase("/run")]
    [TestCase("/run/stream")]
    public async Task Run_UrlWithCredentials_ClonesWithThemAndNeverStoresLogsOrShowsThem(string route)
    {
        string password = "p@ss:w/rd-" + Guid.NewGuid().ToString("N");
        using var authority = TestCertificateAuthority.Create();
        using TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print(\"hello\")\n" });
        var commandLines = new List<string>();
        await using GitHttpsServer git = await GitHttpsServer.StartAsync(
            authority, Path.Combine(repository.Root, ".git"), credentials: ("alice", password), onRequest: _ => commandLines.AddRange(CommandLinesHolding(password)));
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Generation), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream, Settings(git, authority));
        using var logs = new RecordingLoggerProvider();
        service.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);
        string url = $"https://alice:{Uri.EscapeDataString(password)}@127.0.0.1:{git.Port}/repo.git";

        (HttpStatusCode status, _, string everything) = await RunRepositoryUrlTests.RunAndCollectAsync(service, url, route);

        status.Should().Be(HttpStatusCode.OK, everything);
        everything.Should().Contain("+print(\\\"world\\\")", "the clone succeeded with the credentials");
        git.Requests.Should().Contain(r => r.StartsWith("POST /repo.git/git-upload-pack", StringComparison.Ordinal));
        JsonElement stored = JsonDocument.Parse(await service.Client.GetStringAsync("/runs")).RootElement[0];
        stored.GetProperty("repository").GetString().Should().Be($"https://127.0.0.1:{git.Port}/repo.git");
        AssertNoCredentials(everything, password);
        AssertNoCredentials(logs.AllText, password);
        commandLines.Should().BeEmpty("the password is never on a command line");
    }

    [Test]
    public async Task Run_WrongCredentials_FailWithTheUniformMessageAndNoCredentialsAnywhere()
    {
        string password = "wrong-" + Guid.NewGuid().ToString("N");
        using var authority = TestCertificateAuthority.Create();
        using TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print(\"hello\")\n" });
        await using GitHttpsServer git = await GitHttpsServer.StartAsync(authority, Path.Combine(repository.Root, ".git"), credentials: ("alice", "the-right-one"));
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream, Settings(git, authority));
        using var logs = new RecordingLoggerProvider();
        service.Services.GetRequiredService<ILoggerFactory>().AddProvider(logs);

        (HttpStatusCode status, JsonElement body, string everything) = await RunRepositoryUrlTests.RunAndCollectAsync(service, $"https://alice:{password}@127.0.0.1:{git.Port}/repo.git");

        status.Should().Be(HttpStatusCode.UnprocessableEntity, everything);
        body.GetProperty("detail").GetString().Should().Be(RunRepositoryUrlTests.UniformFetchMessage);
        git.Requests.Should().NotBeEmpty("the server was asked");
        AssertNoCredentials(everything, password);
        AssertNoCredentials(logs.AllText, password);
        logs.AllText.Should().Contain("Repository transform failed", "the failure's detail goes to the log");
    }

    private static void AssertNoCredentials(string text, string password)
    {
        text.Should().NotContain(password);
        text.Should().NotContain(Uri.EscapeDataString(password));
        text.Should().NotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:" + password)));
        text.Should().NotContain("alice:");
        text.Should().NotContain("alice@");
    }

    /// <summary>The command lines of this machine's processes that hold <paramref name="secret"/> (Linux; none elsewhere).</summary>
    private static IEnumerable<string> CommandLinesHolding(string secret)
    {
        if (!OperatingSystem.IsLinux())
        {
            yield break;
        }

        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if (commandLine.Contains(secret, StringComparison.Ordinal) || commandLine.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal))
            {
                yield return commandLine;
            }
        }
    }
}
