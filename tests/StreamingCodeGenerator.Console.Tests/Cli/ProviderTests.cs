using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary><c>--provider responses</c> and <c>--provider anthropic</c>: each API's own path, key header and variables.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ProviderTests
{
    private const string AnthropicKey = "sk-ant-test-0123456789abcdef";

    [Test]
    public async Task Anthropic_HostFromTheEnvironment_SendsTheKeyInXApiKeyToMessages()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(AnthropicScript.Answer("from ", "claude\n"));

        ScgProcess.Result run = await ScgProcess.RunAsync(
            ["x", "--provider", "anthropic"],
            ScgProcess.Environment(home.Path, ("ANTHROPIC_BASE_URL", server.BaseAddress.AbsoluteUri), ("ANTHROPIC_API_KEY", AnthropicKey), ("OPENAI_API_KEY", "sk-must-not-be-used-0123456789")),
            home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be("from claude\n");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/v1/messages", "Anthropic's SDKs name the host and /v1 is added");
        request.GetHeader("x-api-key").Should().Be(AnthropicKey);
        request.Authorization.Should().BeNull();
        request.AnthropicVersion.Should().NotBeNullOrEmpty();
        request.Model.Should().Be("claude-sonnet-4-5", "an OpenAI model name would be refused by Anthropic");
        run.Error.Should().NotContain(AnthropicKey);
    }

    [Test]
    public async Task Help_NamesEveryProviderAndAnthropicsVariables()
    {
        using var home = new TempDirectory();

        ScgProcess.Result run = await ScgProcess.RunAsync(["--help"], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("openai|responses|anthropic|azure").And.Contain("ANTHROPIC_API_KEY").And.Contain("ANTHROPIC_BASE_URL");
    }

    [TestCase("anthropic")]
    [TestCase("responses")]
    [TestCase("azure")]
    public async Task NothingConfigured_AnyProvider_RunsTheOfflineDemo(string provider)
    {
        using var home = new TempDirectory();

        ScgProcess.Result run = await ScgProcess.RunAsync(["fizzbuzz", "--provider", provider], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Contain("```csharp");
        run.Error.Should().Contain("offline demo").And.NotContain("Object reference");
    }

    [Test]
    public async Task Responses_OpenAIKey_StreamsFromTheResponsesApi()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(ResponsesScript.Answer("from ", "responses\n"));

        ScgProcess.Result run = await ScgProcess.RunAsync(
            ["x", "--provider", "responses", "--model", "gpt-5-codex", "--endpoint", server.Endpoint.AbsoluteUri],
            ScgProcess.Environment(home.Path, ("OPENAI_API_KEY", Answers.ApiKey)),
            home.Path);

        run.ExitCode.Should().Be(0, run.Error);
        run.Output.Should().Be("from responses\n");
        RecordedRequest request = server.Requests.Single();
        request.Path.Should().Be("/v1/responses");
        request.Authorization.Should().Be("Bearer " + Answers.ApiKey);
        request.Model.Should().Be("gpt-5-codex");
    }

    [Test]
    public async Task UnknownProvider_NamesEveryChoice()
    {
        using var home = new TempDirectory();

        ScgProcess.Result run = await ScgProcess.RunAsync(["x", "--provider", "gemini"], ScgProcess.Environment(home.Path), home.Path);

        run.ExitCode.Should().Be(2);
        run.Error.Should().StartWith("scg: --provider must be openai, responses, anthropic or azure, not 'gemini'.");
    }
}
