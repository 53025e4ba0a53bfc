using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StreamingCodeGeneration.RepoTransform.Tests.Repositories;

/// <summary>The proxy a restricted clone's git goes through, spoken to over real sockets as curl speaks to it.</summary>
[Parallelizable(ParallelScope.All)]
public sealed class EgressProxyTests
{
    private static EgressProxy Start(long maxBytes = 1 << 20, params string[] allowedHosts)
    {
        var access = new RepositoryAccess();
        foreach (string host in allowedHosts)
        {
            access.AllowedHosts.Add(host);
        }

        return EgressProxy.Start(new DestinationPolicy(access), maxBytes, TimeProvider.System);
    }

    private static string Authorization(EgressProxy proxy) =>
        "Proxy-Authorization: Basic " + Convert.ToBase64String(Encoding.ASCII.GetBytes("scg:" + proxy.Password)) + "\r\n";

    /// <summary>Sends a request head and returns the proxy's status line, with the connection for more.</summary>
    private static async Task<(string Status, Socket Connection)> SendAsync(EgressProxy proxy, string head)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, proxy.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(head), SocketFlags.None);
        var answer = new StringBuilder();
        byte[] one = new byte[1];
        while (!answer.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(one, SocketFlags.None) == 1)
        {
            answer.Append((char)one[0]);
        }

        return (answer.ToString().Split("\r\n")[0], socket);
    }

    [Test]
    public async Task Connect_WithoutTheOneTimePassword_Is407()
    {
        await using EgressProxy proxy = Start(allowedHosts: "127.0.0.1");

        (string status, Socket connection) = await SendAsync(proxy, "CONNECT 127.0.0.1:9 HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n");
        (string wrong, Socket other) = await SendAsync(proxy, "CONNECT 127.0.0.1:9 HTTP/1.1\r\nProxy-Authorization: Basic c2NnOndyb25n\r\n\r\n");
        connection.Dispose();
        other.Dispose();

        status.Should().Be("HTTP/1.1 407 Proxy Authentication Required");
        wrong.Should().Be("HTTP/1.1 407 Proxy Authentication Required");
    }

    [Test]
    public async Task Get_AbsoluteUrl_Is405()
    {
        await using EgressProxy proxy = Start();

        (string status, Socket connection) = await SendAsync(proxy, $"GET http://127.0.0.1:9/ HTTP/1.1\r\n{Authorization(proxy)}\r\n");
        connection.Dispose();

        status.Should().Be("HTTP/1.1 405 Method Not Allowed");
        proxy.Detail.Should().Contain("only CONNECT");
    }

    [TestCase("127.0.0.1:{0}")]
    [TestCase("localhost:{0}")]
    [TestCase("LocalHost.:{0}")]
    [TestCase("2130706433:{0}")]
    [TestCase("[::ffff:127.0.0.1]:{0}")]
    [TestCase("[::1]:{0}")]
    public async Task Connect_LoopbackNotAllowed_Is403AndNeverConnects(string target)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using EgressProxy proxy = Start();

        (string status, Socket connection) = await SendAsync(proxy, $"CONNECT {string.Format(System.Globalization.CultureInfo.InvariantCulture, target, port)} HTTP/1.1\r\n{Authorization(proxy)}\r\n");
        connection.Dispose();

        status.Should().StartWith("HTTP/1.1 4");
        listener.Pending().Should().BeFalse("nothing connected to the loopback port");
    }

    [Test]
    public async Task Connect_PublicNameOnAnotherPort_Is403WithoutALookup()
    {
        await using EgressProxy proxy = Start();

        (string status, Socket connection) = await SendAsync(proxy, $"CONNECT github.com:80 HTTP/1.1\r\n{Authorization(proxy)}\r\n");
        connection.Dispose();

        status.Should().Be("HTTP/1.1 403 Forbidden");
        proxy.Detail.Should().Contain("port 80 is not the usual 443");
    }

    [Test]
    public async Task Connect_AllowedHost_TunnelsBytesBothWays()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using EgressProxy proxy = Start(allowedHosts: $"127.0.0.1:{port}");

        (string status, Socket client) = await SendAsync(proxy, $"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n{Authorization(proxy)}\r\n");
        using (client)
        using (Socket server = await listener.AcceptSocketAsync())
        {
            await client.SendAsync("ping"u8.ToArray(), SocketFlags.None);
            byte[] received = new byte[4];
            await server.ReceiveAsync(received, SocketFlags.None);
            await server.SendAsync("pong"u8.ToArray(), SocketFlags.None);
            byte[] answered = new byte[4];
            await client.ReceiveAsync(answered, SocketFlags.None);

            status.Should().Be("HTTP/1.1 200 Connection established");
            received.Should().Equal("ping"u8.ToArray());
            answered.Should().Equal("pong"u8.ToArray());
        }

        proxy.Detail.Should().Contain($"connected to 127.0.0.1:{port}");
    }

    [Test]
    public async Task Tunnel_MoreBytesThanTheLimit_IsCutAndSaysSo()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using EgressProxy proxy = Start(maxBytes: 10_000, $"127.0.0.1:{port}");

        (string status, Socket client) = await SendAsync(proxy, $"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n{Authorization(proxy)}\r\n");
        long received = 0;
        using (client)
        using (Socket server = await listener.AcceptSocketAsync())
        {
            Task sending = Task.Run(async () =>
            {
                try
                {
                    for (int i = 0; i < 100; i++)
                    {
                        await server.SendAsync(new byte[1000], SocketFlags.None);
                    }
                }
                catch (SocketException)
                {
                    // The proxy hung up: that is the point.
                }
            });
            byte[] buffer = new byte[4096];
            int read;
            while ((read = await client.ReceiveAsync(buffer, SocketFlags.None)) > 0)
            {
                received += read;
            }

            server.Dispose();
            await sending;
        }

        status.Should().Be("HTTP/1.1 200 Connection established");
        received.Should().BeLessThanOrEqualTo(10_000);
        proxy.LimitExceeded.Should().BeTrue();
    }
}
