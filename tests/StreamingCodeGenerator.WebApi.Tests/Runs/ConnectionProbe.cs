using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StreamingCodeGeneration.WebApi.Tests.Runs;

/// <summary>What a <see cref="ConnectionProbe"/> does with a connection.</summary>
public enum ProbeBehaviour
{
    /// <summary>Sends a line that is not TLS (an ssh banner) and closes: an open port of some other service.</summary>
    Banner,

    /// <summary>Answers a plain-text HTTP 400 to whatever arrives and closes: a plain HTTP server.</summary>
    PlainHttp,
}

/// <summary>A TCP port on 127.0.0.1 that counts the connections it accepts, so a test can tell whether anything reached it.</summary>
public sealed class ConnectionProbe : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ProbeBehaviour _behaviour;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _accepted;

    private ConnectionProbe(TcpListener listener, ProbeBehaviour behaviour)
    {
        _listener = listener;
        _behaviour = behaviour;
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections were accepted so far.</summary>
    public int Accepted => Volatile.Read(ref _accepted);

    public static ConnectionProbe Start(ProbeBehaviour behaviour)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new ConnectionProbe(listener, behaviour);
    }

    /// <summary>A port on 127.0.0.1 that nothing listens on (it was bound, then released).</summary>
    public static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using (socket)
        {
            try
            {
                if (_behaviour == ProbeBehaviour.PlainHttp)
                {
                    byte[] buffer = new byte[4096];
                    await socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                    await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request"), SocketFlags.None, _stop.Token);
                }
                else
                {
                    await socket.SendAsync(Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"), SocketFlags.None, _stop.Token);
                }

                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
