using System.Net;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>
/// One name for the repository: <c>repo_url</c>, snake_case like the rest of the service's JSON and what the OpenAPI
/// document shows; the earlier Python service's <c>repoUrl</c> still works, with a warning; both at once are refused.
/// </summary>
[Parallelizable(ParallelScope.All)]
public sealed class RunRequestNameTests
{
    private const string Generation = "I add a greeting.\n\n```python path=app.py\nprint(\"hello\")\nprint(\"world\")\n```\n";

    private static Dictionary<string, string?> AllowFile() => new() { ["WebApi:Runs:AllowedRepositorySchemes:0"] = "file" };

    [Test]
    public async Task Run_DeprecatedRepoUrl_StillRunsAndSaysSoInWarnings()
    {
        using TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print(\"hello\")\n" });
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Generation), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream, AllowFile());

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", $"{{\"repoUrl\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"Also print world\"}}"));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        JsonElement result = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        result.GetProperty("diff").GetString().Should().Contain("+print(\"world\")");
        result.GetProperty("warnings")[0].GetString().Should().Be("'repoUrl' is deprecated: send the repository as 'repo_url', the name in the API's documentation.");
    }

    [Test]
    public async Task RunStream_DeprecatedRepoUrl_WarnsFirst()
    {
        using TestRepository repository = await TestRepository.CreateAsync(new Dictionary<string, string> { ["app.py"] = "print(\"hello\")\n" });
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer(Generation), Respond.Answer("[CONFIDENT]\n"));
        await using var service = await ServiceHost.StartAsync(upstream, AllowFile());

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run/stream", $"{{\"repoUrl\": {Json.Quote(repository.FileUrl)}, \"prompt\": \"Also print world\"}}"));

        IReadOnlyList<(string? Name, string Data)> events = EventStream.Parse(await response.Content.ReadAsStringAsync());
        JsonElement first = JsonDocument.Parse(events[0].Data).RootElement;
        first.GetProperty("type").GetString().Should().Be("warning");
        first.GetProperty("message").GetString().Should().Contain("'repoUrl' is deprecated");
        events[^1].Name.Should().Be("result");
    }

    [Test]
    public async Task Run_BothNames_Is400NamingRepoUrlAndSendsNothing()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post(
            "/run", "{\"repo_url\": \"https://github.com/owner/a\", \"repoUrl\": \"https://github.com/owner/b\", \"prompt\": \"x\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        error.GetProperty("code").GetString().Should().Be("ambiguous_repo_url");
        error.GetProperty("param").GetString().Should().Be("repo_url");
        error.GetProperty("detail").GetString().Should().Contain("'repo_url'");
        upstream.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task Run_NoRepository_NamesRepoUrl()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream);

        using HttpResponseMessage response = await service.Client.SendAsync(Json.Post("/run", "{\"prompt\": \"x\"}"));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonElement error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        error.GetProperty("code").GetString().Should().Be("missing_repo_url");
        error.GetProperty("param").GetString().Should().Be("repo_url");
        error.GetProperty("detail").GetString().Should().StartWith("'repo_url' is required");
    }

    [Test]
    public async Task OpenApi_RunBody_DocumentsRepoUrlAndPrompt()
    {
        await using var service = await ServiceHost.StartAsync(upstream: null);

        JsonElement document = JsonDocument.Parse(await service.Client.GetStringAsync("/openapi/v1.json")).RootElement;

        foreach (string path in new[] { "/run", "/run/stream" })
        {
            JsonElement schema = document.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody")
                .GetProperty("content").GetProperty("application/json").GetProperty("schema");
            schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Should().Equal("repo_url", "prompt");
            schema.GetProperty("required").EnumerateArray().Select(p => p.GetString()).Should().Equal("repo_url", "prompt");
        }

        document.GetProperty("components").GetProperty("schemas").GetProperty("RunResponse").GetProperty("properties").EnumerateObject().Select(p => p.Name)
            .Should().Contain(["outcome", "checks"]);
    }
}
