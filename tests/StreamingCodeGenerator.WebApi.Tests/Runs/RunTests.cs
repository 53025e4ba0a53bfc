using System.Diagnostics;
using System.Net;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary><c>POST /run</c>, <c>POST /run/stream</c> and <c>GET /runs</c> with a file:// git repository and a scripted model.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class RunTests
{
    private const string Generation = "I add a greeting.\n\n```python path=app.py\nprint(\"hello\")\nprint(\"world\")\n```\n";

    private static async Task<string> CreateRepositoryAsync()
    {
        string root = Path.Combine(Path.GetTempPath(), "scg-run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(Path.Combine(root, "app.py"), "print(\"hello\")\n");
        foreach (string[] git in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "initial"] })
        {
            var start = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardError = true };
            start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
            start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
            foreach (string argument in git)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            await process.WaitForExitAsync();
            process.ExitCode.Should().Be(0);
        }

        return new Uri(root).AbsoluteUri;
    }

    private static Dictionary<string, string?> AllowFile() => new() { ["WebApi:Runs:AllowedRepositorySchemes:0"] = "file" };

    [Test]
    public async Task Run_FileRepository_AnswersTheDiffAndStoresTheRun()
    {
        string repository = await CreateRepositoryAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Generation), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream, AllowFile());

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository)}, \"prompt\": \"Also print world\"}}"));
        string runs = await service.Client.GetStringAsync("/runs");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonElement result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        result.GetProperty("diff").GetString().Should().Contain("--- a/app.py").And.Contain("+print(\"world\")");
        result.GetProperty("verdict").GetString().Should().Be("Confident");
        long id = result.GetProperty("run_id").GetInt64();
        JsonElement stored = JsonDocument.Parse(runs).RootElement[0];
        stored.GetProperty("id").GetInt64().Should().Be(id);
        stored.GetProperty("prompt").GetString().Should().Be("Also print world");
        stored.GetProperty("outcome").GetString().Should().Be("Succeeded");
        JsonDocument.Parse(await service.Client.GetStringAsync($"/runs/{id}")).RootElement.GetProperty("diff").GetString().Should().Be(result.GetProperty("diff").GetString());
    }

    [Test]
    public async Task RunStream_SendsProgressThenTheDiff()
    {
        string repository = await CreateRepositoryAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Generation), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream, AllowFile());

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run/stream", $"{{\"repo_url\": {Json.Quote(repository)}, \"prompt\": \"Also print world\"}}"));

        response.Content.Headers.ContentType!.MediaType.Should().Be("text/event-stream");
        IReadOnlyList<(string? Name, string Data)> events = EventStream.Parse(await response.Content.ReadAsStringAsync());
        events[0].Name.Should().Be("progress");
        JsonDocument.Parse(events[0].Data).RootElement.GetProperty("type").GetString().Should().Be("repository_opened");
        events.Select(e => JsonDocument.Parse(e.Data).RootElement).Where(e => e.TryGetProperty("type", out _)).Select(e => e.GetProperty("type").GetString())
            .Should().Contain(["files_selected", "file_started", "file_completed", "diff_updated", "review_completed"]);
        events[^1].Name.Should().Be("result");
        JsonDocument.Parse(events[^1].Data).RootElement.GetProperty("diff").GetString().Should().Contain("+print(\"world\")");
    }

    [Test]
    public async Task Run_FileUrlWhenOnlyHttpsIsAllowed_IsRefusedBeforeAnythingRuns()
    {
        string repository = await CreateRepositoryAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository)}, \"prompt\": \"x\"}}"));
        using HttpResponseMessage folder = await service.Client.SendAsync(Json.Post("/run", "{\"repo_url\": \"/etc\", \"prompt\": \"x\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString().Should().Be("invalid_repo_url");
        folder.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        upstream.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task Run_HistoryCannotBeWritten_Answers503BeforeTheModelIsAsked()
    {
        string repository = await CreateRepositoryAsync();
        string folder = Path.Combine(Path.GetTempPath(), "scg-run-history-folder-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Generation));
        Dictionary<string, string?> settings = AllowFile();
        settings["WebApi:Runs:History"] = folder;
        await using var service = await ServiceHost.StartAsync(upstream, settings);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository)}, \"prompt\": \"x\"}}"));

        response.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString().Should().Be("history_unavailable");
        upstream.RequestCount.Should().Be(0, "an answer that cannot be stored is not paid for");
        Directory.Delete(folder);
    }

    [Test]
    public async Task Run_UpstreamRateLimited_Answers429()
    {
        string repository = await CreateRepositoryAsync();
        await using var upstream = await OpenAITestServer.StartAsync(Respond.RateLimited(retryAfter: "4"));
        await using var service = await ServiceHost.StartAsync(upstream, AllowFile());

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repo_url\": {Json.Quote(repository)}, \"prompt\": \"x\"}}"));

        response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        response.Headers.GetValues("Retry-After").Should().Equal("4");
    }
}
