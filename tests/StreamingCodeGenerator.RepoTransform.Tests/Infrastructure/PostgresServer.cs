using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Npgsql;

namespace StreamingCodeGeneration.RepoTransform.Tests.Infrastructure;

/// <summary>
/// A private PostgreSQL server for the tests: initdb into a temporary folder, <c>postgres</c> on a free loopback port
/// with its socket in that folder, stopped and deleted on dispose. As root it runs as the <c>postgres</c> (or
/// <c>nobody</c>) user, since PostgreSQL refuses to run as root. Binaries come from PATH or Debian's
/// <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private readonly TempDirectory _directory;
    private readonly Process _process;

    private PostgresServer(TempDirectory directory, Process process, int port)
    {
        _directory = directory;
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = Superuser, Database = database, Pooling = false }.ConnectionString;

    /// <summary>Finds the binaries, or returns why there are none (the only reason to skip PostgreSQL tests).</summary>
    public static string? FindBinaries(out string? reason)
    {
        var candidates = new List<string>();
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out int v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }

        foreach (string folder in candidates)
        {
            string initdb = Path.Combine(folder, "initdb");
            string postgres = Path.Combine(folder, "postgres");
            if (File.Exists(initdb) && File.Exists(postgres))
            {
                // A symlink on PATH (/usr/local/bin/initdb) resolves to the folder that holds both programs.
                string? target = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                reason = null;
                return target is null ? folder : Path.GetDirectoryName(target);
            }
        }

        reason = "PostgreSQL binaries (initdb, postgres) were not found on PATH or in /usr/lib/postgresql/*/bin; install Debian's postgresql package (.ci/run does).";
        return null;
    }

    public static async Task<PostgresServer> StartAsync(string binaries)
    {
        var directory = new TempDirectory();
        try
        {
            string[] runAs = RunAsPrefix(out string? owner);
            if (owner is not null && !OperatingSystem.IsWindows())
            {
                // The server's user must be able to create its data folder and socket here.
                File.SetUnixFileMode(directory.Path, (UnixFileMode)0x1FF);
            }

            string data = directory.Combine("data");
            (string file, string[] arguments) = As(runAs, Path.Combine(binaries, "initdb"), ["-D", data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
            ProcessRunner.Result init = await ProcessRunner.RunAsync(file, arguments, directory.Path, new Dictionary<string, string?> { ["LC_ALL"] = "C" });
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed ({init.ExitCode}): {init.Error}{init.Output}");
            }

            for (int attempt = 1; ; attempt++)
            {
                int port = FreePort();
                (Process? process, string log) = await StartServerAsync(binaries, runAs, data, directory.Path, port);
                if (process is not null)
                {
                    return new PostgresServer(directory, process, port);
                }

                if (attempt == 3 || !log.Contains("could not bind", StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException("postgres did not start:\n" + log);
                }
            }
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGINT is PostgreSQL's "fast shutdown": roll back, close connections, stop the children, exit.
            _ = Kill(_process.Id, 2);
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static async Task<(Process? Process, string Log)> StartServerAsync(string binaries, string[] runAs, string data, string socketFolder, int port)
    {
        (string file, string[] arguments) = As(runAs, Path.Combine(binaries, "postgres"),
        [
            "-D", data, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-h", "127.0.0.1", "-k", socketFolder,
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "logging_collector=off",
        ]);
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = socketFolder,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["LC_ALL"] = "C";
        var log = new StringBuilder();
        var ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void OnLine(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }

            lock (log)
            {
                log.AppendLine(e.Data);
            }

            if (e.Data.Contains("ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult(true);
            }
        }

        process.ErrorDataReceived += OnLine;
        process.OutputDataReceived += OnLine;
        process.Exited += (_, _) => ready.TrySetResult(false);
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        // Waits for the server's own "ready" line (not a delay); the bound only keeps a broken machine from hanging the run.
        bool started = await ready.Task.WaitAsync(TimeSpan.FromMinutes(2));
        if (started && !process.HasExited)
        {
            return (process, string.Empty);
        }

        await process.WaitForExitAsync();
        process.Dispose();
        lock (log)
        {
            return (null, log.ToString());
        }
    }

    /// <summary>As root, the command prefix that drops to an unprivileged user (setpriv execs, so the pid is postgres's).</summary>
    private static string[] RunAsPrefix(out string? user)
    {
        user = null;
        if (GetEffectiveUserId() != 0)
        {
            return [];
        }

        foreach (string candidate in new[] { "postgres", "nobody" })
        {
            string? entry = File.ReadLines("/etc/passwd").FirstOrDefault(l => l.StartsWith(candidate + ":", StringComparison.Ordinal));
            if (entry is null)
            {
                continue;
            }

            string[] fields = entry.Split(':');
            user = candidate;
            return ["setpriv", $"--reuid={fields[2]}", $"--regid={fields[3]}", "--clear-groups", "--"];
        }

        throw new InvalidOperationException("Running as root, and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL as.");
    }

    private static (string File, string[] Arguments) As(string[] runAs, string program, string[] arguments) =>
        runAs.Length == 0 ? (program, arguments) : (runAs[0], [.. runAs.Skip(1), program, .. arguments]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int Kill(int pid, int signal);
}
