using System.Diagnostics;
using System.Text;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>Runs a tool to completion (node, npm, a fresh .NET process) and captures what it printed.</summary>
internal static class ChildProcess
{
    public sealed record Output(int ExitCode, string StandardOutput, string StandardError);

    /// <summary>Runs <paramref name="fileName"/>; a missing program is exit code -1 with the reason as standard error.</summary>
    public static async Task<Output> RunAsync(string fileName, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // A build must not leave MSBuild nodes or a compiler server behind: they inherit our pipes and would hold them open.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["NO_UPDATE_NOTIFIER"] = "1";
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return new Output(-1, string.Empty, $"{fileName}: {ex.Message}");
        }

        using (process)
        {
            var stdout = new StringBuilder();
            var stderr = new StringBuilder();
            // A null line is the end of that output.
            var stdoutEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var stderrEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) => Collect(stdout, stdoutEnded, e.Data);
            process.ErrorDataReceived += (_, e) => Collect(stderr, stderrEnded, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(10));
            try
            {
                // Wait for the process, not for the end of its output: a grandchild it left running (a build server,
                // an update check) may hold the pipes open for minutes after the tool itself is done.
                await Exited(process).WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return new Output(-1, Read(stdout), $"{fileName} did not finish within {timeout}. {Read(stderr)}");
            }

            // Let the rest of the output arrive, for a bounded time.
            try
            {
                await Task.WhenAll(stdoutEnded.Task, stderrEnded.Task).WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // A grandchild holds a pipe: keep what arrived.
            }

            return new Output(process.ExitCode, Read(stdout), Read(stderr));
        }
    }

    private static Task Exited(Process process)
    {
        var exited = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => exited.TrySetResult();
        if (process.HasExited)
        {
            exited.TrySetResult();
        }

        return exited.Task;
    }

    private static void Collect(StringBuilder text, TaskCompletionSource ended, string? line)
    {
        if (line is null)
        {
            ended.TrySetResult();
            return;
        }

        lock (text)
        {
            text.AppendLine(line);
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    /// <summary>
    /// How to start this benchmark program again in a fresh process (a cold tokenizer is only cold in a new process):
    /// the app host when we run as one, else <c>dotnet</c> with our assembly.
    /// </summary>
    public static (string FileName, string[] Prefix) Self()
    {
        string host = Environment.ProcessPath ?? "dotnet";
        string assembly = typeof(ChildProcess).Assembly.Location;
        return Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase)
            ? (host, [assembly])
            : (host, []);
    }
}
