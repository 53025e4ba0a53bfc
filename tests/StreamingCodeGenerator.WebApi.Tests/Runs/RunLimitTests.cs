using System.Net;
using System.Text;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>
/// What one run may cost the server: the bytes of files it reads, the files it lists, the size of a clone, and how many
/// runs go on at once. Each limit is a <c>WebApi:Runs</c> setting and is named where a run meets it.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RunLimitTests
{
    private static Dictionary<string, string?> AllowFile(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["WebApi:Runs:AllowedRepositorySchemes:0"] = "file" };
        foreach ((string key, string value) in more)
        {
            settings["WebApi:Runs:" + key] = value;
        }

        return settings;
    }

    [Test]
    public async Task Run_LargeFolder_ReadsNoMoreThanMaxBytesReadAndNamesTheLimit()
    {
        // 1,500 text files of 8 KiB (12 MB), every one mentioning the prompt's words.
        var files = new Dictionary<string, byte[]>();
        string line = "def greeting(): return 'hello world greeting'  # greeting helper for the world\n";
        byte[] body = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(line, 8192 / line.Length)));
        for (int i = 0; i < 1500; i++)
        {
            files[$"pkg{i % 30:00}/module_{i:0000}.py"] = body;
        }

        using TestRepository repository = await TestRepository.CreateAsync(files);
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("Nothing to change.\n"));
        await using var service = await ServiceHost.StartAsync(upstream, AllowFile(("MaxBytesRead", "262144")));

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"Make the greeting say hello world\"}}"));
        string text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        JsonElement result = JsonDocument.Parse(text).RootElement;
        result.GetProperty("files_scanned").GetInt32().Should().Be(1500);
        result.GetProperty("bytes_read").GetInt64().Should().BeGreaterThan(0).And.BeLessThanOrEqualTo(262144);
        result.GetProperty("files_read").GetInt32().Should().BeLessThanOrEqualTo(262144 / body.Length);
        result.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).Should()
            .Contain(w => w!.Contains("MaxBytesRead", StringComparison.Ordinal) && w.Contains("256 KiB", StringComparison.Ordinal));
    }

    [Test]
    public async Task Run_MoreFilesThanMaxFilesScanned_IsRefusedNamingTheLimitBeforeTheModelIsAsked()
    {
        var files = Enumerable.Range(0, 60).ToDictionary(i => $"f{i:00}.txt", i => Encoding.UTF8.GetBytes($"{i}\n"));
        using TestRepository repository = await TestRepository.CreateAsync(files);
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream, AllowFile(("MaxFilesScanned", "50")));

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"x\"}}"));
        string text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, text);
        JsonElement problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("code").GetString().Should().Be("repository_too_large");
        problem.GetProperty("detail").GetString().Should().Contain("WebApi:Runs:MaxFilesScanned").And.Contain("50");
        upstream.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task Run_CloneLargerThanMaxCloneBytes_IsStoppedNamingTheLimit()
    {
        byte[] noise = new byte[400 * 1024];
        new Random(7).NextBytes(noise);
        using var authority = TestCertificateAuthority.Create();
        using TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, byte[]> { ["noise.bin"] = noise, ["app.py"] = "print(1)\n"u8.ToArray() });
        await using GitHttpsServer git = await GitHttpsServer.StartAsync(authority, Path.Combine(repository.Root, ".git"));
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream, new Dictionary<string, string?>
        {
            ["WebApi:Runs:AllowedRepositoryHosts:0"] = $"127.0.0.1:{git.Port}",
            ["WebApi:Runs:RepositoryCaCertificates"] = authority.PemFile,
            ["WebApi:Runs:MaxCloneBytes"] = "131072",
        });

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": \"https://127.0.0.1:{git.Port}/repo.git\", \"prompt\": \"x\"}}"));
        string text = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, text);
        JsonElement problem = JsonDocument.Parse(text).RootElement;
        problem.GetProperty("code").GetString().Should().Be("repository_too_large");
        problem.GetProperty("detail").GetString().Should().Contain("WebApi:Runs:MaxCloneBytes").And.Contain("128 KiB");
        upstream.RequestCount.Should().Be(0);
    }

    [TestCase("/run")]
    [TestCase("/run/stream")]
    public async Task Run_PastMaxConcurrentRuns_Answers503WithRetryAfterNamingTheLimit(string route)
    {
        using TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print(1)\n" });
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await OpenAITestServer.StartAsync(
            new SseScript().Role().Content("Nothing ").WaitFor(gate.Task).Content("to change.\n").Finish().Usage(10, 10).Done(),
            Respond.Answer("Nothing to change.\n"));
        await using var service = await ServiceHost.StartAsync(upstream, AllowFile(("MaxConcurrentRuns", "1")));
        string body = $"{{\"repo_url\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"x\"}}";

        Task<HttpResponseMessage> first = service.Client.SendAsync(Json.Post("/run", body));
        await upstream.WaitForRequestAsync(0);
        using HttpResponseMessage second = await service.Client.SendAsync(Json.Post(route, body));
        string secondText = await second.Content.ReadAsStringAsync();
        gate.SetResult();
        using HttpResponseMessage firstResponse = await first;
        using HttpResponseMessage third = await service.Client.SendAsync(Json.Post(route, body));

        second.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, secondText);
        second.Headers.GetValues("Retry-After").Single().Should().MatchRegex("^[1-9][0-9]*$");
        JsonElement problem = JsonDocument.Parse(secondText).RootElement;
        problem.GetProperty("code").GetString().Should().Be("too_many_runs");
        problem.GetProperty("detail").GetString().Should().Contain("WebApi:Runs:MaxConcurrentRuns").And.Contain("1");
        firstResponse.StatusCode.Should().Be(HttpStatusCode.OK);
        third.StatusCode.Should().Be(HttpStatusCode.OK, "the slot is free again once the first run ended");
        upstream.RequestCount.Should().Be(2);
    }

    [Test]
    public async Task Run_ProviderFails_StoresTheServicesMessageNeverTheProviders()
    {
        using TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print(1)\n" });
        const string providerText = "internal shard db-7.corp.example failed: see https://status.corp.example/incident/42";
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Error(500, providerText, "server_error"));
        await using var service = await ServiceHost.StartAsync(upstream, AllowFile());

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"x\"}}"));
        JsonElement problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        string runs = await service.Client.GetStringAsync("/runs");
        JsonElement stored = JsonDocument.Parse(runs).RootElement[0];
        string details = await service.Client.GetStringAsync($"/runs/{stored.GetProperty("id").GetInt64()}");

        response.StatusCode.Should().Be(HttpStatusCode.BadGateway);
        stored.GetProperty("outcome").GetString().Should().Be("Failed");
        stored.GetProperty("error").GetString().Should().Be(problem.GetProperty("detail").GetString(), "the history keeps the service's own message");
        runs.Should().NotContain("corp.example");
        details.Should().NotContain("corp.example");
    }
}
