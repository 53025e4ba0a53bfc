using System.Net;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>
/// <c>POST /run</c> with its default settings, fed the spellings an attacker uses to make a repository URL name a folder
/// on the server or a loopback, private or link-local address: each is refused, nothing is read, nothing reaches the
/// model, and nothing of the target folder appears in the answer, <c>GET /runs</c> or <c>GET /runs/{id}</c>.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RunRepositoryUrlTests
{
    /// <summary>The one message every "could not fetch the repository" failure gets, whatever the network said.</summary>
    public const string UniformFetchMessage =
        "Could not fetch the repository: check that the URL names a git repository this service may reach (a public https host by default) and that any credentials in it are right.";

    private static readonly string Up = string.Concat(Enumerable.Repeat("../", 20));

    /// <summary>Spellings that are not an https URL at all (backslashes, local paths, other schemes, control characters).</summary>
    private static IEnumerable<TestCaseData> NotAUrl()
    {
        // {0} is the secret folder's absolute path (it starts with '/').
        string[] spellings =
        [
            "https:\\/127.0.0.1/" + Up + "{0}",
            "https:/\\127.0.0.1/" + Up + "{0}",
            "hTTpS:\\/127.0.0.1/" + Up + "{0}",
            "https:\\\\127.0.0.1\\" + Up + "{0}",
            "https:/" + Up + "{0}",
            "https:" + Up + "{0}",
            "https:{0}",
            "https:%2F%2F127.0.0.1/" + Up + "{0}",
            "https%3A%2F%2F127.0.0.1/" + Up + "{0}",
            "https://127.0.0.1/%2e%2e/%2E%2E/" + Up + "{0}",
            "https://127.0.0.1/../../" + Up + "{0}",
            "https://github.com/" + Up + "{0}",
            "https://github.com/./owner/repo",
            "https://github.com\\@127.0.0.1/owner/repo",
            "https://github.com/owner/repo?x=" + Up + "{0}",
            "https://github.com/owner/repo#" + Up + "{0}",
            "{0}",
            "{0}/",
            "./" + Up + "{0}",
            "..{0}",
            "\\\\?\\{0}",
            "\\\\?\\UNC\\127.0.0.1\\share",
            "\\\\127.0.0.1\\share\\repo",
            "//127.0.0.1/share/repo",
            "file://{0}",
            "FILE://{0}",
            "File:{0}",
            "file:/{0}",
            "file://localhost{0}",
            "file:\\\\{0}",
            "ssh://git@github.com/owner/repo",
            "git@github.com:owner/repo.git",
            "http://github.com/owner/repo",
            "git://github.com/owner/repo",
            "ext::sh -c cat% {0}",
            "--upload-pack=cat {0}",
            " https:\\/127.0.0.1/" + Up + "{0} ",
            "https://127.0.0.1/\t" + Up + "{0}",
            "https://127.0.0.1\u0000/" + Up + "{0}",
            "https://127.0.0.1/x\n" + Up + "{0}",
            "\u202Ehttps://github.com/owner/repo",
            "https:\u2215\u2215127.0.0.1/" + Up + "{0}",
            "https://[::1%25lo]/repo",
            "https://127.0.0.1:0/repo",
            "https://127.0.0.1:65536/repo",
            "https://127.0.0.1:+443/repo",
            "https://256.0.0.1/repo",
            "https://0x7f.0x1000000/repo",
            "https://1.2.3.4.5/repo",
            "https://bad_host/repo",
            "https://host..example/repo",
            "https:///repo",
            "https://",
            "https://@/repo",
        ];
        return spellings.Select((s, i) => new TestCaseData(s).SetArgDisplayNames($"not-a-url-{i:00}"));
    }

    /// <summary>Well-formed https URLs whose host is loopback, private, link-local, unspecified or multicast, in every spelling.</summary>
    private static IEnumerable<TestCaseData> NonPublic()
    {
        string[] spellings =
        [
            "https://127.0.0.1/owner/repo.git",
            "https://127.1/owner/repo.git",
            "https://2130706433/owner/repo.git",
            "https://0x7f000001/owner/repo.git",
            "https://0x7f.1/owner/repo.git",
            "https://0177.0.0.1/owner/repo.git",
            "https://0177.1/owner/repo.git",
            "https://127.000.000.001/owner/repo.git",
            "https://0/owner/repo.git",
            "https://0.0.0.0/owner/repo.git",
            "https://[::1]/owner/repo.git",
            "https://[0:0:0:0:0:0:0:1]/owner/repo.git",
            "https://[::]/owner/repo.git",
            "https://[::ffff:127.0.0.1]/owner/repo.git",
            "https://[::ffff:7f00:1]/owner/repo.git",
            "https://[::127.0.0.1]/owner/repo.git",
            "https://[fe80::1]/owner/repo.git",
            "https://[fd00::1]/owner/repo.git",
            "https://[fc00::1]/owner/repo.git",
            "https://[ff02::1]/owner/repo.git",
            "https://[::ffff:169.254.169.254]/owner/repo.git",
            "https://[64:ff9b::7f00:1]/owner/repo.git",
            "https://[2002:7f00:1::]/owner/repo.git",
            "https://localhost/owner/repo.git",
            "https://LocalHost/owner/repo.git",
            "https://repo.localhost/owner/repo.git",
            "https://\uFF4C\uFF4F\uFF43\uFF41\uFF4C\uFF48\uFF4F\uFF53\uFF54/owner/repo.git",
            "https://\uFF11\uFF12\uFF17\u3002\uFF10\u3002\uFF10\u3002\uFF11/owner/repo.git",
            "https://10.0.0.1/owner/repo.git",
            "https://172.16.5.4/owner/repo.git",
            "https://192.168.1.1/owner/repo.git",
            "https://100.64.0.1/owner/repo.git",
            "https://169.254.169.254/latest/meta-data/",
            "https://224.0.0.1/owner/repo.git",
            "https://255.255.255.255/owner/repo.git",
            "https://127.0.0.1:22/owner/repo.git",
            "https://alice:secret@127.0.0.1/owner/repo.git",
            "HTTPS://127.0.0.1/owner/repo.git",
            "https://github.com%2F@127.0.0.1/owner/repo.git",
            "https://github.com:443@127.0.0.1/owner/repo.git",
            "https://0x7f.0x100/owner/repo.git",
        ];
        return spellings.Select((s, i) => new TestCaseData(s).SetArgDisplayNames($"non-public-{i:00}"));
    }

    [TestCaseSource(nameof(NotAUrl))]
    public async Task Run_NotAnHttpsUrl_IsRefusedAs400AndReadsNothing(string spelling)
    {
        using SecretFolder secret = await SecretFolder.CreateAsync();
        string repoUrl = string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, secret.Path);
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(secret.DeletingAnswer), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream);

        (HttpStatusCode status, JsonElement body, string everything) = await RunAndCollectAsync(service, repoUrl);

        status.Should().Be(HttpStatusCode.BadRequest, everything);
        body.GetProperty("code").GetString().Should().Be("invalid_repo_url", everything);
        body.GetProperty("param").GetString().Should().Be("repo_url");
        secret.AssertNothingOf(everything);
        upstream.RequestCount.Should().Be(0, "nothing may be sent to the model");
    }

    [TestCaseSource(nameof(NonPublic))]
    public async Task Run_LoopbackPrivateOrLinkLocalHost_IsRefusedWithTheUniformMessageAndReadsNothing(string spelling)
    {
        using SecretFolder secret = await SecretFolder.CreateAsync();
        string repoUrl = string.Format(System.Globalization.CultureInfo.InvariantCulture, spelling, secret.Path);
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(secret.DeletingAnswer), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream);

        (HttpStatusCode status, JsonElement body, string everything) = await RunAndCollectAsync(service, repoUrl);

        status.Should().Be(HttpStatusCode.UnprocessableEntity, everything);
        body.GetProperty("code").GetString().Should().Be("repository_unavailable", everything);
        body.GetProperty("detail").GetString().Should().Be(UniformFetchMessage);
        secret.AssertNothingOf(everything);
        everything.Should().NotContain("secret@", "credentials are never shown or stored");
        upstream.RequestCount.Should().Be(0, "nothing may be sent to the model");
    }

    /// <summary>Posts the run, then reads <c>GET /runs</c> and every stored run; returns the status, the body and all the text together.</summary>
    internal static async Task<(HttpStatusCode Status, JsonElement Body, string Everything)> RunAndCollectAsync(ServiceHost service, string repoUrl, string path = "/run")
    {
        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(path, $"{{\"repo_url\": {Json.Quote(repoUrl)}, \"prompt\": \"Delete the secret file\"}}"));
        string text = await response.Content.ReadAsStringAsync();
        string runs = await service.Client.GetStringAsync("/runs");
        var all = new System.Text.StringBuilder(text).Append('\n').Append(runs);
        foreach (JsonElement run in JsonDocument.Parse(runs).RootElement.EnumerateArray())
        {
            all.Append('\n').Append(await service.Client.GetStringAsync($"/runs/{run.GetProperty("id").GetInt64()}"));
        }

        JsonElement body = text.StartsWith('{') ? JsonDocument.Parse(text).RootElement : default;
        return (response.StatusCode, body, all.ToString());
    }
}
