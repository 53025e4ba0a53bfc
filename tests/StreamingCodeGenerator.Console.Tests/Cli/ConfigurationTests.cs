using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary>Help, version, Azure OpenAI and user secrets.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ConfigurationTests
{
    [Test]
    public async Task Help_ListsTheOptionsAndExamplesForOpenAIAzureAndOllama()
    {
        using var home = new TempDirectory();

        ScgProcess.Result run = await ScgProcess.RunAsync(["--help"], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0);
        foreach (string option in new[] { "--model", "--endpoint", "--provider", "--language", "--max-tokens", "--temperature", "--timeout", "--system", "--demo", "--save", "--json", "--no-color", "--quiet", "--version" })
        {
            run.Output.Should().Contain(option);
        }

        run.Output.Should().Contain("export OPENAI_API_KEY=").And.Contain("--provider azure --model my-gpt-4o-deployment").And.Contain("--endpoint http://localhost:11434/v1");
        run.Output.Should().Contain("Exit codes: 0 done");
    }

    [Test]
    public async Task Azure_ClassicEndpointFromTheEnvironment_SendsTheKeyInApiKeyToTheDeployment()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("from azure\n"));
        const string key = "azure-key-0123456789abcdef";

        ScgProcess.Result run = await ScgProcess.RunAsync(
            ["x", "--provider", "azure", "--model", "my-deployment"],
            ScgProcess.Environment(home.Path, ("AZURE_OPENAI_ENDPOINT", server.BaseAddress.AbsoluteUri), ("AZURE_OPENAI_API_KEY", key), ("OPENAI_API_KEY", "sk-must-not-be-used-0123456789")),
            home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be("from azure\n");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/openai/deployments/my-deployment/chat/completions");
        request.QueryString.Should().Contain("api-version=");
        request.GetHeader("api-key").Should().Be(key);
        request.Authorization.Should().BeNull();
    }

    [Test]
    public async Task Azure_RejectedKey_NamesTheAzureVariable()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Unauthorized());

        ScgProcess.Result run = await ScgProcess.RunAsync(
            ["x", "--provider", "azure", "--endpoint", server.BaseAddress.AbsoluteUri + "openai/v1/"],
            ScgProcess.Environment(home.Path, ("AZURE_OPENAI_API_KEY", "azure-key-0123456789abcdef")), home.Path);

        run.ExitCode.Should().Be(3);
        run.Error.Should().Contain("check AZURE_OPENAI_API_KEY").And.NotContain("azure-key-0123456789abcdef");
        server.Requests.Single().Path.Should().Be("/openai/v1/chat/completions");
    }

    [Test]
    public async Task UserSecrets_KeyAndBaseUrl_AreUsedWhenTheEnvironmentHasNone()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(Respond.Answer("secret path\n"));
        string secrets = home.Combine(".microsoft", "usersecrets", "StreamingCodeGenerator.Console");
        Directory.CreateDirectory(secrets);
        File.WriteAllText(Path.Combine(secrets, "secrets.json"), $$"""{ "OPENAI_API_KEY": "{{Answers.ApiKey}}", "OPENAI_BASE_URL": "{{server.Endpoint.AbsoluteUri}}" }""");

        ScgProcess.Result run = await ScgProcess.RunAsync(["x"], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be("secret path\n");
        server.Requests.Single().ApiKey.Should().Be(Answers.ApiKey);
        run.Error.Should().NotContain("offline demo").And.NotContain(Answers.ApiKey);
    }
}
