using System.Text.Json;
using StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.Samples.Console.Tests.Cli;

/// <summary>Ctrl+C (SIGINT) stops the stream at once, keeps what arrived, and exits 130.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class CancellationTests
{
    [Test]
    public async Task SigInt_MidStream_KeepsThePartialTextClosesTheConnectionAndExits130()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("def partial(", "):\n").Stall());
        using ScgProcess scg = ScgProcess.Start(["x", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        await server.WaitForRequestAsync(0);
        await scg.WaitForOutputAsync(output => output == "def partial():\n");
        await scg.InterruptAsync();
        ScgProcess.Result run = await scg.WaitAsync();

        run.ExitCode.Should().Be(130, run.Error);
        run.Output.Should().Be("def partial():\n");
        run.Error.Trim().Should().Be("scg: Cancelled after 15 characters; what arrived is kept.");
        await server.ClientDisconnected(0).WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task SigInt_WithJson_EndsWithAnErrorObjectHoldingThePartialText()
    {
        using var home = new TempDirectory();
        await using OpenAITestServer server = await OpenAITestServer.StartAsync(new SseScript().Role().Content("half an ", "answer").Stall());
        using ScgProcess scg = ScgProcess.Start(["x", "--json", "--endpoint", server.Endpoint.AbsoluteUri], ScgProcess.Environment(home.Path), home.Path);

        await server.WaitForRequestAsync(0);
        await scg.WaitForOutputAsync(output => output.Contains("\"text\":\"answer\"", StringComparison.Ordinal));
        await scg.InterruptAsync();
        ScgProcess.Result run = await scg.WaitAsync();

        run.ExitCode.Should().Be(130, run.Error);
        using JsonDocument last = JsonDocument.Parse(run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        JsonElement error = last.RootElement.GetProperty("error");
        error.GetProperty("exitCode").GetInt32().Should().Be(130);
        error.GetProperty("partialText").GetString().Should().Be("half an answer");
        error.GetProperty("stats").GetProperty("status").GetString().Should().Be("Cancelled");
    }
}
