using System.Runtime.InteropServices;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// Our web service as rows 5 and 6 run it: the built assembly under the dotnet host (the default), a given assembly, or
/// a native executable (<c>--web-app</c> naming one, or <c>--native</c>, which publishes it with <c>PublishAot</c>).
/// </summary>
internal sealed record WebApp(string Path, bool IsNative)
{
    private const string Project = "samples/StreamingCodeGenerator.WebApi";

    /// <summary>Gets how the notes name what was measured.</summary>
    public string Description => IsNative
        ? "ours published as native code (dotnet publish -r " + RuntimeInformation.RuntimeIdentifier + " -p:PublishAot=true)"
        : "ours as built (dotnet StreamingCodeGenerator.WebApi.dll)";

    /// <summary>Starts the service on <paramref name="port"/> against <paramref name="upstream"/>: rate limit off, logging at Warning.</summary>
    public Task<ServiceProcess> StartAsync(Uri upstream, int port)
    {
        string urls = $"http://127.0.0.1:{port}";
        return ServiceProcess.StartAsync(
            IsNative ? Path : WebServiceComparison.DotnetHost(),
            IsNative ? ["--urls", urls] : [Path, "--urls", urls],
            System.IO.Path.GetDirectoryName(Path)!,
            new Dictionary<string, string>
            {
                ["StreamingCodeGenerator__Endpoint"] = upstream.ToString(),
                ["StreamingCodeGenerator__Model"] = "gpt-4o-mini",
                ["WebApi__RateLimit__Enabled"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
            },
            port);
    }

    /// <summary>
    /// The web service to measure: <paramref name="given"/> (an assembly, a native executable or a project folder), the
    /// repository's built assembly (built when it has none yet), or with <paramref name="native"/> the repository's
    /// project published as native code into <c>artifacts/webapi-native</c>. <see langword="null"/> when the tree has no
    /// web service (a note says so).
    /// </summary>
    public static async Task<WebApp?> FindAsync(string? given, bool native, RowResult row)
    {
        if (given is not null && File.Exists(given))
        {
            return new WebApp(System.IO.Path.GetFullPath(given), !given.EndsWith(".dll", StringComparison.OrdinalIgnoreCase));
        }

        if (given is not null && given.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            throw new FileNotFoundException($"--web-app {given} does not exist.");
        }

        string project = given ?? System.IO.Path.Combine(RepositoryPaths.Root ?? Environment.CurrentDirectory, Project);
        if (!Directory.Exists(project))
        {
            row.Notes.Add($"web service not present: our side skipped ({Project} is not in this tree); the other targets were measured, so the harness is exercised.");
            return null;
        }

        if (native)
        {
            return new WebApp(await PublishNativeAsync(project), IsNative: true);
        }

        string assembly = System.IO.Path.Combine(project, "bin", RepositoryPaths.Configuration, "net10.0", "StreamingCodeGenerator.WebApi.dll");
        if (!File.Exists(assembly))
        {
            Console.Error.WriteLine($"  building {project} ({RepositoryPaths.Configuration})");
            ChildProcess.Output build = await ChildProcess.RunAsync(WebServiceComparison.DotnetHost(), ["build", project, "-c", RepositoryPaths.Configuration, "--nologo", "-v", "quiet"], timeout: TimeSpan.FromMinutes(5));
            if (build.ExitCode != 0 || !File.Exists(assembly))
            {
                throw new InvalidOperationException($"building {project} failed: {build.StandardOutput.Trim()} {build.StandardError.Trim()}");
            }
        }

        return new WebApp(assembly, IsNative: false);
    }

    private static async Task<string> PublishNativeAsync(string project)
    {
        string output = System.IO.Path.Combine(RepositoryPaths.Root ?? Environment.CurrentDirectory, "artifacts", "webapi-native");
        Console.Error.WriteLine($"  publishing {project} as native code into {output} (a few minutes the first time)");
        ChildProcess.Output publish = await ChildProcess.RunAsync(
            WebServiceComparison.DotnetHost(),
            ["publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-p:PublishAot=true", "-o", output, "--nologo", "-v", "quiet"],
            timeout: TimeSpan.FromMinutes(15));
        string executable = System.IO.Path.Combine(output, "StreamingCodeGenerator.WebApi");
        if (publish.ExitCode != 0 || !File.Exists(executable))
        {
            throw new InvalidOperationException($"publishing {project} as native code failed: {publish.StandardOutput.Trim()} {publish.StandardError.Trim()}");
        }

        return executable;
    }
}
