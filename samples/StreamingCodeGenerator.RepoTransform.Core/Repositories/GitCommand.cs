using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// Runs the <c>git</c> command line with an argument list (never a shell string), UTF-8 in and out, no terminal
/// prompts, the environment of a <see cref="GitEnvironment"/>, and kills the process tree when cancelled.
/// </summary>
internal static class GitCommand
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <exception cref="RepositoryException">git is not installed.</exception>
    public static Task<GitResult> RunAsync(
        string executable,
        string workingDirectory,
        IEnumerable<string> arguments,
        CancellationToken cancellationToken,
        string? standardInput = null) =>
        RunAsync(executable, workingDirectory, arguments, GitEnvironment.Local, cancellationToken, standardInput);

    /// <exception cref="RepositoryException">git is not installed.</exception>
    public static async Task<GitResult> RunAsync(
        string executable,
        string workingDirectory,
        IEnumerable<string> arguments,
        GitEnvironment environment,
        CancellationToken cancellationToken,
        string? standardInput = null)
    {
        using Process process = Start(executable, workingDirectory, arguments, environment);
        Task<string> output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            try
            {
                if (standardInput is not null)
                {
                    await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // git closed its input early because it failed before reading it all: its exit code and words tell why.
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return new GitResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>
    /// Runs a command whose output is a list of NUL-terminated records (<c>-z</c>) and reads them as they come, without
    /// holding the whole output: after <paramref name="maxRecords"/> records it stops git and returns
    /// <see langword="null"/>.
    /// </summary>
    /// <exception cref="RepositoryException">git is not installed, or failed (its first line of error says why).</exception>
    public static async Task<List<string>?> ReadRecordsAsync(
        string executable,
        string workingDirectory,
        IEnumerable<string> arguments,
        GitEnvironment environment,
        int maxRecords,
        string failure,
        CancellationToken cancellationToken)
    {
        using Process process = Start(executable, workingDirectory, arguments, environment);
        process.StandardInput.Close();
        Task<string> error = process.StandardError.ReadToEndAsync(cancellationToken);
        var records = new List<string>();
        var current = new StringBuilder();
        char[] buffer = new char[16 * 1024];
        try
        {
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                for (int i = 0; i < read; i++)
                {
                    if (buffer[i] != '\0')
                    {
                        current.Append(buffer[i]);
                        continue;
                    }

                    if (records.Count == maxRecords)
                    {
                        Kill(process);
                        return null;
                    }

                    records.Add(current.ToString());
                    current.Clear();
                }
            }

            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var result = new GitResult(process.ExitCode, string.Empty, await error.ConfigureAwait(false));
            return result.Succeeded ? records : throw new RepositoryException($"{failure}: {result.FirstErrorLine}");
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    /// <exception cref="RepositoryException">git is not installed.</exception>
    public static Process Start(string executable, string workingDirectory, IEnumerable<string> arguments, GitEnvironment environment, bool binaryOutput = false)
    {
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = binaryOutput ? null : Utf8,
            StandardErrorEncoding = Utf8,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        environment.Apply(start);
        var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            process.Dispose();
            throw new RepositoryException($"Could not run '{executable}': {ex.Message}. Install git and make sure it is on PATH.", ex);
        }

        return process;
    }

    public static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
