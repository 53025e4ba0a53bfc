using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// An HTTP CONNECT proxy on 127.0.0.1 (port 0) that one clone's git uses (<c>http.proxy</c>) and nothing else can:
/// every request must carry the proxy's one-time password. For each CONNECT it reads the host and port itself,
/// resolves the name, checks the port and every address with the run's <see cref="DestinationPolicy"/>, and connects
/// to the address it checked — so redirects git follows and a DNS answer that changes after a check (rebinding) meet
/// the same check. It answers refusals with 403 and counts the bytes the clone receives, cutting every tunnel once they
/// pass the limit. What it refused or could not reach is kept for the log; the caller sees none of it.
/// </summary>
internal sealed class EgressProxy : IAsyncDisposable
{
    private const int MaxHeadBytes = 8 * 1024;
    private const string ProxyUser = "scg";
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly TcpListener _listener;
    private readonly DestinationPolicy _policy;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private readonly byte[] _expectedAuthorization;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _events = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly Task _accepting;
    private long _bytesReceived;
    private int _limitExceeded;

    private EgressProxy(TcpListener listener, DestinationPolicy policy, long maxBytes, TimeProvider time)
    {
        _listener = listener;
        _policy = policy;
        _maxBytes = maxBytes;
        _time = time;
        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        _expectedAuthorization = Encoding.ASCII.GetBytes("Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes(ProxyUser + ":" + Password)));
        _accepting = AcceptAsync();
    }

    /// <summary>The one-time password git must send (<c>Proxy-Authorization: Basic</c>).</summary>
    public string Password { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The value for git's <c>http.proxy</c> (holds the password: environment-only configuration).</summary>
    public string ProxyUrl => $"http://{ProxyUser}:{Password}@127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Whether the clone received more than the byte limit (every tunnel was cut then).</summary>
    public bool LimitExceeded => Volatile.Read(ref _limitExceeded) != 0;

    /// <summary>What the proxy refused, reached or failed to reach, for the log.</summary>
    public string Detail => string.Join("; ", _events);

    public static EgressProxy Start(DestinationPolicy policy, long maxBytes, TimeProvider time)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new EgressProxy(listener, policy, maxBytes, time);
    }

    private async Task AcceptAsync()
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Task connection = ServeAsync(client);
            _connections[connection] = true;
            _ = connection.ContinueWith(done => _connections.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        await Task.Yield();
        using (client)
        {
            try
            {
                await ServeCoreAsync(client).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // The clone ended, the run was cancelled, or a side hung up: nothing to answer.
            }
        }
    }

    private async Task ServeCoreAsync(Socket client)
    {
        (byte[] head, int headLength, int bodyStart) = await ReadHeadAsync(client).ConfigureAwait(false);
        if (bodyStart < 0)
        {
            await AnswerAsync(client, "400 Bad Request").ConfigureAwait(false);
            return;
        }

        string[] lines = Encoding.Latin1.GetString(head, 0, bodyStart).Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        if (!Authorized(lines))
        {
            await AnswerAsync(client, "407 Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"scg\"\r\n").ConfigureAwait(false);
            return;
        }

        if (requestLine.Length != 3 || requestLine[0] != "CONNECT")
        {
            _events.Enqueue($"refused a {Printable(requestLine[0])} request (only CONNECT tunnels are served)");
            await AnswerAsync(client, "405 Method Not Allowed").ConfigureAwait(false);
            return;
        }

        string target = requestLine[1];
        if (!HostName.TrySplitPort(target, out string rawHost, out int? port) || port is null
            || !HostName.TryRead(rawHost, out string host, out IPAddress? literal, out _))
        {
            _events.Enqueue($"refused the malformed CONNECT target '{Printable(target)}'");
            await AnswerAsync(client, "400 Bad Request").ConfigureAwait(false);
            return;
        }

        (IPAddress[] addresses, string? refusal) = await _policy.ResolveAsync(host, literal, port.Value, 443, _stop.Token).ConfigureAwait(false);
        if (refusal is not null)
        {
            _events.Enqueue($"refused {host}:{port}: {refusal}");
            await AnswerAsync(client, "403 Forbidden").ConfigureAwait(false);
            return;
        }

        Socket? upstream = await ConnectAsync(host, port.Value, addresses).ConfigureAwait(false);
        if (upstream is null)
        {
            await AnswerAsync(client, "502 Bad Gateway").ConfigureAwait(false);
            return;
        }

        using (upstream)
        {
            await client.SendAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            if (headLength > bodyStart)
            {
                await upstream.SendAsync(head.AsMemory(bodyStart, headLength - bodyStart), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }

            using var tunnel = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            Task up = PumpAsync(client, upstream, count: false, tunnel.Token);
            Task down = PumpAsync(upstream, client, count: true, tunnel.Token);
            await Task.WhenAny(up, down).ConfigureAwait(false);
            await tunnel.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task<(byte[] Head, int Length, int BodyStart)> ReadHeadAsync(Socket client)
    {
        byte[] head = new byte[MaxHeadBytes];
        int length = 0;
        using var timeout = new CancellationTokenSource(HeadTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
        while (length < head.Length)
        {
            int read = await client.ReceiveAsync(head.AsMemory(length), SocketFlags.None, linked.Token).ConfigureAwait(false);
            if (read == 0)
            {
                return (head, length, -1);
            }

            int searchFrom = Math.Max(0, length - 3);
            length += read;
            int end = head.AsSpan(searchFrom, length - searchFrom).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (head, length, searchFrom + end + 4);
            }
        }

        return (head, length, -1);
    }

    private bool Authorized(string[] lines)
    {
        foreach (string line in lines.AsSpan(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).Trim().Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase))
            {
                return CryptographicOperations.FixedTimeEquals(Encoding.Latin1.GetBytes(line[(colon + 1)..].Trim()), _expectedAuthorization);
            }
        }

        return false;
    }

    private async Task<Socket?> ConnectAsync(string host, int port, IPAddress[] addresses)
    {
        var failures = new List<string>();
        foreach (IPAddress address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                using var timeout = new CancellationTokenSource(ConnectTimeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
                await socket.ConnectAsync(new IPEndPoint(address, port), linked.Token).ConfigureAwait(false);
                _events.Enqueue($"connected to {host}:{port} at {address}");
                return socket;
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                socket.Dispose();
                _stop.Token.ThrowIfCancellationRequested();
                failures.Add($"{address}: {(ex is SocketException s ? s.SocketErrorCode.ToString() : "timed out")}");
            }
        }

        _events.Enqueue($"could not connect to {host}:{port} ({string.Join(", ", failures)})");
        return null;
    }

    private async Task PumpAsync(Socket from, Socket to, bool count, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[16 * 1024];
        while (true)
        {
            int read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            if (count && Interlocked.Add(ref _bytesReceived, read) > _maxBytes)
            {
                if (Interlocked.Exchange(ref _limitExceeded, 1) == 0)
                {
                    _events.Enqueue($"stopped the clone after {_maxBytes} bytes (the limit)");
                }

                await _stop.CancelAsync().ConfigureAwait(false);
                return;
            }

            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task AnswerAsync(Socket client, string status, string headers = "")
    {
        byte[] answer = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n{headers}Content-Length: 0\r\nConnection: close\r\n\r\n");
        await client.SendAsync(answer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
        client.Shutdown(SocketShutdown.Send);
    }

    private static string Printable(string text)
    {
        var printable = new StringBuilder(Math.Min(text.Length, 80));
        foreach (char c in text.AsSpan(0, Math.Min(text.Length, 80)))
        {
            printable.Append(c is >= ' ' and <= '~' ? c : '?');
        }

        return printable.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        await Task.WhenAll(_connections.Keys).ConfigureAwait(false);
        _stop.Dispose();
    }
}
