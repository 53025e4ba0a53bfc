using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using StreamingCodeGeneration.Testing;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>
/// The web service published as native code (NativeAOT), run as a process of its own: configured by environment
/// variables, listening on 127.0.0.1 with a port the system picks (read from its "Now listening on" line), stopped with
/// its process tree when disposed. What it printed is kept for failure messages.
/// </summary>
public sealed partial class NativeService : IAsyncDisposable
{
    /// <summary>The environment variable that names the native executable; the native tests are ignored without it.</summary>
    public const string Variable = "SCG_NATIVE_WEBAPI";

    /// <summary>The command that publishes the executable (CI runs it into artifacts/webapi-native).</summary>
    public const string PublishCommand =
        "dotnet publish samples/StreamingCodeGenerator.WebApi -c Release -r linux-x64 -p:PublishAot=true -o artifacts/webapi-native";

    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _historyFolder;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NativeService(Process process, string historyFolder)
    {
        _process = process;
        _historyFolder = historyFolder;
    }

    /// <summary>Gets the executable <see cref="Variable"/> names, or null when it is not set.</summary>
    public static string? Executable => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : null;

    /// <summary>Gets a client for the service's address, <c>http://127.0.0.1:PORT/</c>.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Gets what the service printed so far (stdout and stderr, interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts the executable against <paramref name="upstream"/> with the settings <see cref="ServiceHost"/> uses (no
    /// retries, no rate limit, a history file in a temporary folder, environment Production); <paramref name="settings"/>
    /// (configuration keys with ':') override or add. Returns once the service listens.
    /// </summary>
    public static async Task<NativeService> StartAsync(string executable, OpenAITestServer? upstream, IDictionary<string, string?>? settings = null)
    {
        string history = Path.Combine(Path.GetTempPath(), "scg-webapi-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(history);
        var all = new Dictionary<string, string?>
        {
            ["StreamingCodeGenerator:Endpoint"] = upstream?.Endpoint.ToString(),
            ["StreamingCodeGenerator:ApiKey"] = upstream is null ? null : OpenAITestServer.DefaultApiKey,
            ["StreamingCodeGenerator:Model"] = "gpt-4o-mini",
            ["StreamingCodeGenerator:MaxRetries"] = "0",
            ["WebApi:RateLimit:Enabled"] = "false",
            ["WebApi:Runs:History"] = Path.Combine(history, "history.db"),
            ["WebApi:DemoSpeed"] = "1000",
            ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(executable))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Nothing from the test run's own environment configures the service: only what is set here.
        foreach (string name in start.Environment.Keys.ToArray())
        {
            if (name.StartsWith("StreamingCodeGenerator__", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("WebApi__", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("DOTNET_URLS", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase)
                || name is "OPENAI_API_KEY" or "OPENAI_BASE_URL" or "HTTP_PORTS" or "HTTPS_PORTS")
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach ((string key, string? value) in all)
        {
            if (value is not null)
            {
                start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
            }
        }

        var service = new NativeService(Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start."), history);
        service._process.OutputDataReceived += service.Keep;
        service._process.ErrorDataReceived += service.Keep;
        service._process.BeginOutputReadLine();
        service._process.BeginErrorReadLine();

        Task exited = service._process.WaitForExitAsync();
        try
        {
            Task first = await Task.WhenAny(service._listening.Task, exited).WaitAsync(StartDeadline);
            if (first == exited)
            {
                throw new InvalidOperationException($"The native service exited with {service._process.ExitCode} before listening:\n{service.Output}");
            }
        }
        catch (TimeoutException)
        {
            await service.DisposeAsync();
            throw new InvalidOperationException($"The native service did not listen within {StartDeadline.TotalSeconds} s:\n{service.Output}");
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        service.Client = new HttpClient { BaseAddress = await service._listening.Task };
        return service;
    }

    /// <summary>
    /// Runs <paramref name="test"/> against the service, then stops it; a failure's message ends with everything the
    /// service printed.
    /// </summary>
    public static async Task RunAsync(OpenAITestServer? upstream, Func<NativeService, Task> test, IDictionary<string, string?>? settings = null)
    {
        await using NativeService service = await StartAsync(Executable!, upstream, settings);
        try
        {
            await test(service);
        }
        catch (Exception exception) when (exception is not IgnoreException)
        {
            await service.StopAsync();
            throw new AssertionException($"{exception.Message}\n--- the native service's output ---\n{service.Output}", exception);
        }
    }

    /// <summary>Kills the process tree and waits until it and its output have ended.</summary>
    public async Task StopAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (InvalidOperationException)
        {
            // It was never started or has been disposed.
        }
        catch (OperationCanceledException)
        {
            // It did not end in time; Dispose releases what is left.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await StopAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_historyFolder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    private void Keep(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(e.Data);
            }
        }

        if (ListeningLine().Match(e.Data) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
        }
    }
}
