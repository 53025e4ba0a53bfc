using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace StreamingCodeGeneration.WebApi.Tests.Infrastructure;

/// <summary>
/// A private <c>redis-server</c> (Debian's; <c>.ci/run</c> installs it) on a free 127.0.0.1 port, with a password, no
/// persistence, started for one test and killed after it. Redis cannot listen on port 0, so the port is found by
/// binding a socket to port 0 and releasing it (and another is tried if something took it in between).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(string executable, int port, string password)
    {
        Executable = executable;
        Port = port;
        Password = password;
    }

    public string Executable { get; }

    public int Port { get; }

    public string Password { get; }

    /// <summary>Gets the StackExchange.Redis configuration string for <c>WebApi:Redis:ConnectionString</c>.</summary>
    public string ConnectionString => $"127.0.0.1:{Port},password={Password}";

    /// <summary>Starts a server, or marks the test ignored when <c>redis-server</c> is not installed.</summary>
    public static async Task<RedisServer> StartAsync()
    {
        string? executable = NodeClient.FindOnPath("redis-server") ?? (File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null);
        if (executable is null)
        {
            Assert.Ignore("redis-server is not installed (apt-get install redis-server): the shared-limit tests cannot run here.");
        }

        string password = "redis-password-" + Guid.NewGuid().ToString("N");
        for (int attempt = 1; ; attempt++)
        {
            var server = new RedisServer(executable!, FreePort(), password);
            if (await server.TryStartAsync() is not { } failure)
            {
                return server;
            }

            if (attempt == 3 || !failure.Contains("Address already in use", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("redis-server did not start: " + failure);
            }
        }
    }

    /// <summary>Kills the server, as a crash or a lost network would: its clients' connections drop.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Starts a new, empty server on the same port with the same password.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        if (await TryStartAsync() is { } failure)
        {
            throw new InvalidOperationException("redis-server did not start again: " + failure);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the process and returns when it accepts connections (null), or its output if it exits first.</summary>
    private async Task<string?> TryStartAsync()
    {
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--requirepass", Password, "--save", string.Empty, "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"])
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        _ = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            output.AppendLine(line);
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                // Keep draining its output so a full pipe never stops it.
                _ = process.StandardOutput.ReadToEndAsync();
                _process = process;
                return null;
            }
        }

        await process.WaitForExitAsync();
        process.Dispose();
        return output.ToString();
    }
}
