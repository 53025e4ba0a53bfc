using System.Diagnostics;
using System.Text;

namespace StreamingCodeGeneration.Samples.Console.Tests.Infrastructure;

/// <summary>
/// Runs the built <c>scg</c> (or another command-line sample, <see cref="CliProgram"/>) as a real process with an
/// environment of the test's making: the machine's <c>OPENAI_*</c>, <c>AZURE_OPENAI_*</c> and <c>SCG_API_*</c> variables
/// are removed, and HOME (and the data folder under it) is the test's own folder, so neither a real key, real user
/// secrets nor a real run history can reach a test.
/// </summary>
public sealed class ScgProcess : IDisposable
{
    private static readonly string[] Cleared =
    [
        "OPENAI_API_KEY", "OPENAI_BASE_URL", "AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", "NO_COLOR", "APPDATA",
        "DOTNET_USER_SECRETS_FALLBACK_DIR", "SCG_API_URL", "SCG_API_KEY",
    ];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Task _readOutput;
    private readonly Task _readError;

    private ScgProcess(Process process)
    {
        _process = process;
        _readOutput = PumpAsync(process.StandardOutput, _output);
        _readError = PumpAsync(process.StandardError, _error);
    }

    public sealed record Result(int ExitCode, string Output, string Error);

    public int Id => _process.Id;

    /// <summary>Gets the standard output so far.</summary>
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

    /// <summary>The path of the built app: samples/StreamingCodeGenerator.Console/bin/&lt;Configuration&gt;/net10.0/scg.dll.</summary>
    public static string AssemblyPath => RepositoryLayout.BuiltAssembly(Path.Combine("samples", "StreamingCodeGenerator.Console"), "scg.dll");

    public static string Dotnet => System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>The environment every run starts from: HOME is <paramref name="home"/>, no key, no endpoint.</summary>
    public static Dictionary<string, string?> Environment(string home, params (string Name, string? Value)[] variables)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["HOME"] = home,
            ["XDG_DATA_HOME"] = System.IO.Path.Combine(home, ".local", "share"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
        };
        foreach (string name in Cleared)
        {
            environment[name] = null;
        }

        foreach ((string name, string? value) in variables)
        {
            environment[name] = value;
        }

        return environment;
    }

    /// <summary>Starts <c>scg</c> with its standard streams redirected.</summary>
    public static ScgProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, string? input = null) =>
        Start(AssemblyPath, arguments, environment, workingDirectory, input);

    /// <summary>Starts a built program (its <c>.dll</c>, run by <c>dotnet</c>) with its standard streams redirected.</summary>
    public static ScgProcess Start(string assemblyPath, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, string? input = null)
    {
        var start = new ProcessStartInfo(Dotnet) { WorkingDirectory = workingDirectory };
        start.ArgumentList.Add(assemblyPath);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Start(start, environment, input);
    }

    /// <summary>Starts any program with its standard streams redirected and the given environment changes.</summary>
    public static ScgProcess Start(ProcessStartInfo start, IReadOnlyDictionary<string, string?> environment, string? input = null)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.StandardOutputEncoding = new UTF8Encoding(false);
        start.StandardErrorEncoding = new UTF8Encoding(false);
        start.StandardInputEncoding = new UTF8Encoding(false);
        foreach ((string name, string? value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        return new ScgProcess(process);
    }

    /// <summary>Runs <c>scg</c> to completion (standard input closed unless <paramref name="input"/> is given).</summary>
    public static async Task<Result> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string workingDirectory, string? input = null)
    {
        using ScgProcess process = Start(arguments, environment, workingDirectory, input ?? string.Empty);
        return await process.WaitAsync();
    }

    public void WriteInput(string text)
    {
        _process.StandardInput.Write(text);
        _process.StandardInput.Flush();
    }

    /// <summary>Waits until standard output satisfies <paramref name="condition"/> (checked as output arrives), or fails after a minute.</summary>
    public async Task WaitForOutputAsync(Func<string, bool> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            Task changed;
            lock (_output)
            {
                if (condition(_output.ToString()))
                {
                    return;
                }

                changed = _changed.Task;
            }

            if (_process.HasExited && _readOutput.IsCompleted)
            {
                throw new AssertionException($"scg exited ({_process.ExitCode}) before the expected output; output: {Output}; error: {_error}");
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromSeconds(1), guard.Token);
            }
            catch (TimeoutException)
            {
                // Check the exit again.
            }
            catch (OperationCanceledException)
            {
                throw new AssertionException($"The expected output did not arrive; output: {Output}; error: {_error}");
            }
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does.</summary>
    public async Task InterruptAsync()
    {
        using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
        kill.ExitCode.Should().Be(0, "kill -INT must reach the process");
    }

    public async Task<Result> WaitAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await _process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scg did not finish; killed. Output: {Output}; error: {_error}");
        }

        await Task.WhenAll(_readOutput, _readError);
        lock (_error)
        {
            return new Result(_process.ExitCode, Output, _error.ToString());
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task PumpAsync(StreamReader reader, StringBuilder target)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            lock (target)
            {
                target.Append(buffer, 0, read);
            }

            if (ReferenceEquals(target, _output))
            {
                TaskCompletionSource changed;
                lock (_output)
                {
                    changed = _changed;
                    _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                changed.TrySetResult();
            }
        }
    }
}
