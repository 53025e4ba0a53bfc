using System.ComponentModel;
using System.Diagnostics;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>What one check command did: its exit code (none when it timed out), its output's end, and how long it ran.</summary>
internal sealed record CheckProcessResult(int? ExitCode, bool TimedOut, string Output, long OutputBytes, TimeSpan Duration);

/// <summary>
/// Runs one check command in a worktree (see <see cref="CheckOptions"/>): through the shell, sandboxed as the options say,
/// with the time limit on the run's <see cref="TimeProvider"/>, the output's end kept, and its process group (or PID
/// namespace) killed when it ends.
/// </summary>
internal static class CheckProcess
{
    /// <summary>How long the output of a command killed at its time limit is still read.</summary>
    internal static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    /// <exception cref="OperationCanceledException">The run was cancelled (the command is killed first).</exception>
    /// <exception cref="TransformException">The shell (or <c>unshare</c>/<c>setsid</c>) could not be started.</exception>
    public static async Task<CheckProcessResult> RunAsync(
        string command, string workingDirectory, string home, string temporary, CheckOptions options, bool isolateNetwork, string? apiKey, TimeProvider time, CancellationToken cancellationToken)
    {
        (string fileName, List<string> arguments, bool ownGroup) = CheckSandbox.Wrap(command, isolateNetwork);
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        CheckSandbox.ApplyEnvironment(start, options, home, temporary, apiKey);
        var output = new OutputTail(options.MaxOutputBytes);
        long started = time.GetTimestamp();
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new TransformException($"Could not start the check '{command}': {ex.Message}.", ex);
        }

        int groupId = process.Id;
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        // The readers stop at the end of the pipes, which close when the last process holding them is gone.
        Task readers = Task.WhenAll(
            CopyAsync(process.StandardOutput.BaseStream, output),
            CopyAsync(process.StandardError.BaseStream, output));
        bool timedOut = false;
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Stop(process, groupId, ownGroup);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            timedOut = true;
        }

        // What the command left running (a server, a watcher) ends with it.
        Stop(process, groupId, ownGroup);
        TimeSpan duration = time.GetElapsedTime(started);
        TimeSpan left = timedOut ? DrainGrace : options.Timeout - duration;
        await DrainAsync(readers, left > TimeSpan.Zero ? left : TimeSpan.Zero, time, cancellationToken).ConfigureAwait(false);
        int? exitCode = timedOut ? null : process.ExitCode;
        return new CheckProcessResult(exitCode, timedOut, output.GetText(), output.TotalBytes, duration);
    }

    private static void Stop(Process process, int groupId, bool ownGroup)
    {
        if (ownGroup)
        {
            ProcessGroup.Kill(groupId);
        }

        try
        {
            // Without a group of its own (Windows, no setsid) or inside unshare: the tree as it stands now.
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has exited.
        }
        catch (Win32Exception)
        {
            // It is exiting.
        }
    }

    private static async Task CopyAsync(Stream stream, OutputTail output)
    {
        byte[] buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                output.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // The pipe broke as the process was killed, or the run moved on without it.
        }
    }

    /// <summary>
    /// Waits for the output's end: at once when the command and its group are gone; a process that escaped the group
    /// and still holds the pipe is waited for no longer than the check's time limit (what arrived is kept).
    /// </summary>
    private static async Task DrainAsync(Task readers, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await readers.WaitAsync(wait, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }
}
