using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// A service under test in a process of its own (the FastAPI proxy, our web service): started on a free
/// loopback port, ready once it accepts connections, stopped (with its process tree) when disposed. Its output is kept
/// for the note when it fails to start.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, int port)
    {
        Process = process;
        Port = port;
    }

    public Process Process { get; }

    public int Port { get; }

    public Uri ChatCompletions => new($"http://127.0.0.1:{Port}/v1/chat/completions");

    /// <summary>What the service printed so far (stdout and stderr, interleaved).</summary>
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

    /// <summary>A port nothing listens on right now.</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Starts the service and waits until it accepts connections on <paramref name="port"/>.</summary>
    public static async Task<ServiceProcess> StartAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, int port)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        var service = new ServiceProcess(Process.Start(start) ?? throw new InvalidOperationException($"{fileName} did not start."), port);
        service.Process.OutputDataReceived += service.Keep;
        service.Process.ErrorDataReceived += service.Keep;
        service.Process.BeginOutputReadLine();
        service.Process.BeginErrorReadLine();
        long started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (service.Process.HasExited)
            {
                string output = service.Output;
                int exitCode = service.Process.ExitCode;
                service.Dispose();
                throw new InvalidOperationException($"{Path.GetFileName(fileName)} exited with {exitCode} before listening: {output.Trim()}");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return service;
            }
            catch (SocketException) when (Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(100);
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited already.
        }

        Process.Dispose();
    }

    private void Keep(object sender, DataReceivedEventArgs e)
    {
        if (e.Data is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 16 * 1024)
            {
                _output.AppendLine(e.Data);
            }
        }
    }
}
