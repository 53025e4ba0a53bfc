
namespace StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

/// <summary>Runs the built <c>scg-transform</c> as a real process, with a clean environment pointing at a loopback server.</summary>
public static class CliProcess
{
    public static string AssemblyPath => RepositoryLayout.BuiltAssembly(Path.Combine("samples", "StreamingCodeGenerator.RepoTransform"), "scg-transform.dll");

    /// <param name="arguments">The command line.</param>
    /// <param name="endpoint">The model endpoint (OPENAI_BASE_URL), or null for none.</param>
    /// <param name="home">A folder used as HOME and XDG_DATA_HOME, so the default history never touches the real one.</param>
    /// <param name="apiKey">OPENAI_API_KEY, or null for none.</param>
    public static Task<ProcessRunner.Result> RunAsync(IEnumerable<string> arguments, Uri? endpoint, string home, string? apiKey = TestGenerators.ApiKey)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var environment = new Dictionary<string, string?>
        {
            ["OPENAI_API_KEY"] = apiKey,
            ["OPENAI_BASE_URL"] = endpoint?.ToString(),
            ["HOME"] = home,
            ["XDG_DATA_HOME"] = Path.Combine(home, ".local", "share"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["NO_COLOR"] = "1",
        };
        return ProcessRunner.RunAsync(dotnet, [AssemblyPath, .. arguments], home, environment);
    }
}
