using System.Diagnostics;
using System.Text.Json;
using StreamingCodeGeneration.Testing;
using StreamingCodeGeneration.WebApi.Tests.Infrastructure;

namespace StreamingCodeGeneration.WebApi.Tests.Client;

/// <summary>
/// A real client no one here wrote: OpenAI's official npm package streams from the service and makes one whole call.
/// <c>.ci/run</c> installs it into <c>$TMPDIR/openai-npm</c> and passes the folder in <c>OPENAI_NPM_DIR</c>; without it the
/// test installs it there itself with npm.
/// </summary>
public sealed class OpenAINpmClientTests
{
    private const string Answer = "Here you are:\n\n```python title=sort.py\nprint(sorted([3, 1, 2]))\n```\n\nDone.";

    [Test]
    public async Task OfficialOpenAIPackage_StreamsAndCompletes_WithTheExactText()
    {
        string? node = FindOnPath("node");
        if (node is null)
        {
            Assert.Ignore("node is not installed: the official openai npm client cannot run here.");
        }

        string folder = Environment.GetEnvironmentVariable("OPENAI_NPM_DIR") is { Length: > 0 } given ? given : Path.Combine(Path.GetTempPath(), "openai-npm");
        if (!File.Exists(Path.Combine(folder, "node_modules", "openai", "package.json")))
        {
            Directory.CreateDirectory(folder);
            (int code, string output) = await RunAsync("npm", ["install", "--prefix", folder, "--no-audit", "--no-fund", "openai@5"], null);
            code.Should().Be(0, "npm install openai: " + output);
        }

        await using var upstream = await OpenAITestServer.StartAsync(new SseScript().Role().Content("Here you are:\n\n").CodeBlock("python", "print(sorted([3, 1, 2]))\n", "sort.py").Content("\nDone.").Finish().Usage(30, 20).Done().Build());
        await using var service = await ServiceHost.StartAsync(upstream, kestrel: true);

        (int exit, string stdout) = await RunAsync(node, [Path.Combine(AppContext.BaseDirectory, "Client", "openai-client.mjs")], new Dictionary<string, string>
        {
            ["SCG_BASE_URL"] = new Uri(service.BaseAddress, "v1/").ToString(),
            ["OPENAI_NPM_DIR"] = folder,
        });

        exit.Should().Be(0, stdout);
        JsonElement result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        result.GetProperty("streamed").GetString().Should().Be(Answer);
        result.GetProperty("whole").GetString().Should().Be(Answer);
        result.GetProperty("object").GetString().Should().Be("chat.completion");
        result.GetProperty("finishReason").GetString().Should().Be("stop");
        result.GetProperty("usage").GetProperty("total_tokens").GetInt32().Should().Be(50);
        result.GetProperty("badRequest").GetProperty("status").GetInt32().Should().Be(400);
        result.GetProperty("badRequest").GetProperty("code").GetString().Should().Be("invalid_role");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, IDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string key, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        return (process.ExitCode, await output + await error);
    }
}
