using System.Diagnostics;
using System.Text.Json;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>
/// Runs a JavaScript client (real npm packages no one here wrote) as a node process. <c>.ci/run</c> installs the packages
/// into a temporary folder and names it in an environment variable; without it a test installs them there itself.
/// </summary>
public static class NodeClient
{
    /// <summary>The folder named by <paramref name="variable"/>, or <c>$TMPDIR/<paramref name="defaultName"/></c>, with <paramref name="packages"/> installed.</summary>
    public static async Task<string> PackagesAsync(string variable, string defaultName, string probe, params string[] packages)
    {
        string folder = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } given ? given : Path.Combine(Path.GetTempPath(), defaultName);
        if (!File.Exists(Path.Combine(folder, "node_modules", probe, "package.json")))
        {
            Directory.CreateDirectory(folder);
            (int code, string output, string error) = await RunAsync("npm", ["install", "--prefix", folder, "--no-audit", "--no-fund", .. packages], null);
            code.Should().Be(0, "npm install " + string.Join(' ', packages) + ": " + output + error);
        }

        return folder;
    }

    public static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, name))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Runs a script from the test output's <c>Client</c> folder against the service's <c>/v1/</c> routes, checks that it
    /// exited with 0 and returns the JSON object it printed last on standard output (its standard error, where the
    /// packages print deprecation warnings, goes to the test's output).
    /// </summary>
    public static async Task<JsonElement> RunScriptAsync(string node, string script, Uri serviceBase, IDictionary<string, string> environment)
    {
        var all = new Dictionary<string, string>(environment) { ["SCG_BASE_URL"] = new Uri(serviceBase, "v1/").ToString() };
        (int exit, string output, string error) = await RunAsync(node, [Path.Combine(AppContext.BaseDirectory, "Client", script)], all);
        TestContext.Out.WriteLine(output);
        TestContext.Out.WriteLine(error);
        exit.Should().Be(0, output + error);
        return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, string[] arguments, IDictionary<string, string>? environment)
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
        return (process.ExitCode, await output, await error);
    }
}
