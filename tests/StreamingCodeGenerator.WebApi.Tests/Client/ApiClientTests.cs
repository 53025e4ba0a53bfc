using StreamingCodeGeneration.ApiClient;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Client;

/// <summary>The API client sample against the service over loopback: the earlier Python client's three tests, by arguments and by answering its questions.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class ApiClientTests
{
    private static async Task<(int Exit, string Output, string Error)> RunAsync(ServiceHost service, string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = await ApiClientApp.RunAsync(["--base-url", service.BaseAddress.ToString(), .. args], new StringReader(input), output, error);
        return (exit, output.ToString(), error.ToString());
    }

    [Test]
    public async Task Normal_StreamsThePromptsAnswerAndExitsZero()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().ContentFrom(r => "Answer to: " + r.Messages[^1].Content).Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        (int exit, string output, string error) = await RunAsync(service, string.Empty, "--test", "normal");

        exit.Should().Be(0, error);
        output.Should().Contain("Streaming response:\nAnswer to: " + ApiClientApp.DefaultPrompt);
    }

    [Test]
    public async Task Interactive_DefaultPromptAndTestOne_StreamsTheAnswer()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().ContentFrom(r => "Answer to: " + r.Messages[^1].Content).Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        (int exit, string output, _) = await RunAsync(service, "\n\n");

        exit.Should().Be(0);
        output.Should().Contain("Enter your prompt (or press Enter to use the default): Using default prompt: " + ApiClientApp.DefaultPrompt)
            .And.Contain("3. Test generate code with invalid payload")
            .And.Contain("Answer to: " + ApiClientApp.DefaultPrompt);
    }

    [Test]
    public async Task Timeout_ServiceSlowerThanTheClient_SaysItTimedOutAndExitsFive()
    {
        var release = new TaskCompletionSource();
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().WaitFor(release.Task).Role().Content("late").Finish().Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        (int exit, string output, string error) = await RunAsync(service, "Sort numbers\n2\n0.2\n");
        release.SetResult();

        exit.Should().Be(5);
        output.Should().Contain("Enter timeout in seconds (default is 0.1): ").And.Contain("with a timeout of 0.2 seconds");
        error.Should().Be("Request timed out after 0.2 seconds.\n");
    }

    [Test]
    public async Task Invalid_ShowsTheServicesErrorAndExitsOne()
    {
        await using var upstream = await OpenAITestServer.StartAsync(Respond.Answer("never"));
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        (int exit, _, string error) = await RunAsync(service, string.Empty, "--test", "invalid", "--prompt", "Any prompt.");

        exit.Should().Be(1);
        error.Should().StartWith("Error: 400 - {").And.Contain("missing_prompt").And.Contain("'prompt' is required");
        upstream.RequestCount.Should().Be(0);
    }

    [Test]
    public async Task Normal_StreamFailsAfterItStarted_ReportsTheIncompleteAnswer()
    {
        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("half").ErrorEvent("boom").Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        (int exit, string output, string error) = await RunAsync(service, string.Empty, "--test", "normal");

        exit.Should().Be(6);
        output.Should().Contain("half\n\n[error] upstream_error:");
        error.Should().StartWith("The answer is incomplete: upstream_error:");
    }

    [Test]
    public async Task NoService_SaysItCouldNotConnectAndExitsSix()
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = await ApiClientApp.RunAsync(["--base-url", "http://127.0.0.1:9/", "--test", "normal"], new StringReader(string.Empty), output, error);

        exit.Should().Be(6);
        error.ToString().Should().StartWith("An error occurred while requesting the API at http://127.0.0.1:9/");
    }

    [Test]
    public async Task BadArguments_ExitTwo()
    {
        int exit = await ApiClientApp.RunAsync(["--test", "sometimes"], new StringReader(string.Empty), new StringWriter(), new StringWriter());

        exit.Should().Be(2);
    }
}
