using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>
/// The operator's checks (<c>WebApi:Runs:Checks</c>) over HTTP: off by default, never taken from a caller, run sandboxed
/// on each diff, a failure sent back to the model, each check in the answer, the stream and the history — never its output.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RunCheckTests
{
    private const string PyCompile = "python3 -m py_compile app.py";
    private const string Broken = "I print it.\n\n```python path=app.py\nprint(\"hello\"\n```\n";
    private const string Fixed = "The parenthesis was missing.\n\n```python path=app.py\nprint(\"hello\")\nprint(\"world\")\n```\n";

    private static Task<TestRepository> CreateRepositoryAsync() => TestRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print(\"hello\")\n" });

    private static Dictionary<string, string?> Settings(params string[] checks)
    {
        var settings = new Dictionary<string, string?> { ["WebApi:Runs:AllowedRepositorySchemes:0"] = "file" };
        for (int i = 0; i < checks.Length; i++)
        {
            settings[$"WebApi:Runs:Checks:{i}"] = checks[i];
        }

        return settings;
    }

    [Test]
    public async Task Run_OperatorCheckFailsThenPasses_AnswersSucceededWithBothChecksAndStoresThem()
    {
        using TestRepository repository = await CreateRepositoryAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Broken), Respond.Answer(Fixed), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream, Settings(PyCompile));

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"Also print world\"}}"));

        string text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        JsonElement result = JsonDocument.Parse(text).RootElement;
        result.GetProperty("outcome").GetString().Should().Be("Succeeded");
        JsonElement[] checks = [.. result.GetProperty("checks").EnumerateArray()];
        checks.Select(c => (c.GetProperty("round").GetInt32(), c.GetProperty("command").GetString(), c.GetProperty("exit_code").GetInt32(), c.GetProperty("passed").GetBoolean()))
            .Should().Equal((1, PyCompile, 1, false), (2, PyCompile, 0, true));
        checks.Should().OnlyContain(c => !c.GetProperty("timed_out").GetBoolean());
        upstream.Requests[1].Messages[^1].Content.Should().Contain("SyntaxError", "the model is shown the failed check's output");
        text.Should().NotContain("SyntaxError", "a check's output never reaches the caller").And.NotContain("scg-check-");

        long id = result.GetProperty("run_id").GetInt64();
        JsonElement stored = JsonDocument.Parse(await service.Client.GetStringAsync($"/runs/{id}")).RootElement;
        stored.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("exit_code").GetInt32()).Should().Equal(1, 0);
    }

    [Test]
    public async Task RunStream_Checks_SendsCheckStartedAndCompletedEventsWithoutTheOutput()
    {
        using TestRepository repository = await CreateRepositoryAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Broken), Respond.Answer(Fixed), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream, Settings(PyCompile));

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run/stream", $"{{\"repo_url\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"Also print world\"}}"));

        string body = await response.Content.ReadAsStringAsync();
        JsonElement[] progress = [.. EventStream.Parse(body).Where(e => e.Name == "progress").Select(e => JsonDocument.Parse(e.Data).RootElement)];
        JsonElement[] checks = [.. progress.Where(e => e.GetProperty("type").GetString() is "check_started" or "check_completed")];
        checks.Select(e => $"{e.GetProperty("type").GetString()} {e.GetProperty("round").GetInt32()} {e.GetProperty("command").GetString()}")
            .Should().Equal($"check_started 1 {PyCompile}", $"check_completed 1 {PyCompile}", $"check_started 2 {PyCompile}", $"check_completed 2 {PyCompile}");
        checks[1].GetProperty("exit_code").GetInt32().Should().Be(1);
        checks[1].GetProperty("verdict").GetString().Should().Be("failed");
        checks[3].GetProperty("verdict").GetString().Should().Be("passed");
        body.Should().NotContain("SyntaxError").And.NotContain("scg-check-");
    }

    [Test]
    public async Task Run_ChecksNeverPass_Answers200WithTheOutcomeChecksFailed()
    {
        using TestRepository repository = await CreateRepositoryAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Broken));
        Dictionary<string, string?> settings = Settings(PyCompile);
        settings["WebApi:Runs:MaxCheckRevisions"] = "0";
        await using var service = await ServiceHost.StartAsync(upstream, settings);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"x\"}}"));
        string runs = await service.Client.GetStringAsync("/runs");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("outcome").GetString().Should().Be("ChecksFailed");
        JsonDocument.Parse(runs).RootElement[0].GetProperty("outcome").GetString().Should().Be("ChecksFailed");
        upstream.RequestCount.Should().Be(1);
    }

    [Test]
    public async Task Run_CallerSendsCommands_NothingRunsWithoutTheOperatorsSetting()
    {
        using TestRepository repository = await CreateRepositoryAsync();
        string marker = Path.Combine(Path.GetTempPath(), "scg-caller-check-" + Guid.NewGuid().ToString("N"));
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Fixed), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream, Settings());
        string command = Json.Quote($"touch {marker}");

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(
            "/run", $"{{\"repo_url\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"x\", \"checks\": [{command}], \"check\": {command}, \"Checks\": [{command}]}}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetArrayLength().Should().Be(0);
        File.Exists(marker).Should().BeFalse();
    }

    [Test]
    public async Task Run_Check_RunsWithARebuiltEnvironmentNotTheServices()
    {
        using TestRepository repository = await CreateRepositoryAsync();
        string secret = "SCG_TEST_SERVICE_SECRET_" + Guid.NewGuid().ToString("N");
        string passed = "SCG_TEST_SERVICE_PASSED_" + Guid.NewGuid().ToString("N");
        string dump = Path.Combine(Path.GetTempPath(), "scg-check-env-" + Guid.NewGuid().ToString("N"));
        Environment.SetEnvironmentVariable(secret, "service-secret");
        Environment.SetEnvironmentVariable(passed, "passed-value");
        try
        {
            await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Fixed), Respond.Answer("[CONFIDENT]\n"));
            Dictionary<string, string?> settings = Settings($"env > '{dump}'; echo \"cwd=$(pwd)\" >> '{dump}'");
            settings["WebApi:Runs:CheckPassEnvironment:0"] = passed;
            await using var service = await ServiceHost.StartAsync(upstream, settings);

            using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"x\"}}"));

            response.StatusCode.Should().Be(HttpStatusCode.OK);
            string[] environment = await File.ReadAllLinesAsync(dump);
            environment.Should().Contain($"{passed}=passed-value").And.NotContain(line => line.Contains(secret, StringComparison.Ordinal));
            environment.Should().NotContain(line => line.StartsWith("OPENAI_", StringComparison.Ordinal) || line.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || line.StartsWith("DOTNET_ROOT", StringComparison.Ordinal));
            environment.Where(line => line.StartsWith("GIT_", StringComparison.Ordinal)).Should().BeEquivalentTo("GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0");
            string home = environment.Single(line => line.StartsWith("HOME=", StringComparison.Ordinal))["HOME=".Length..];
            string cwd = environment.Single(line => line.StartsWith("cwd=", StringComparison.Ordinal))["cwd=".Length..];
            Path.GetDirectoryName(home).Should().Be(Path.GetDirectoryName(cwd));
            Path.GetFileName(Path.GetDirectoryName(cwd)).Should().StartWith("scg-check-");
            Directory.Exists(cwd).Should().BeFalse("the sandbox's folder is removed after the run");
        }
        finally
        {
            Environment.SetEnvironmentVariable(secret, null);
            Environment.SetEnvironmentVariable(passed, null);
            File.Delete(dump);
        }
    }

    [TestCase("WebApi:Runs:MaxCheckRevisions", "11", "WebApi:Runs:MaxCheckRevisions must be from 0 to 10.")]
    [TestCase("WebApi:Runs:CheckTimeout", "00:00:00", "WebApi:Runs:CheckTimeout must be positive.")]
    [TestCase("WebApi:Runs:Checks:0", " ", "WebApi:Runs:Checks must hold only non-empty command lines.")]
    public async Task Start_BadCheckSetting_FailsNamingIt(string key, string value, string message)
    {
        Func<Task> start = async () =>
        {
            await using ServiceHost service = await ServiceHost.StartAsync(upstream: null, new Dictionary<string, string?> { [key] = value });
        };

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().Contain(message);
    }
}
