using System.Net.Sockets;
using System.Text;

namespace StreamingCodeGeneration.Testing.Tests.Infrastructure;

/// <summary>
/// Sends one request over a plain socket and reads the response to the end of the connection, so tests can assert on
/// the exact bytes of each write (each flushed write is one HTTP chunk) and see whether the body was terminated.
/// </summary>
public static class RawHttp
{
    public const string ChatBody = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    public static Task<RawResponse> PostAsync(Uri baseAddress, string path = "/v1/chat/completions", string body = ChatBody, params (string Name, string Value)[] headers) =>
        SendAsync(baseAddress, path, body, headers, onReceived: null);

    /// <summary>Like <see cref="PostAsync"/>, calling <paramref name="onReceived"/> with everything received so far after each read.</summary>
    public static Task<RawResponse> PostAsync(Uri baseAddress, Action<byte[]> onReceived) =>
        SendAsync(baseAddress, "/v1/chat/completions", ChatBody, [], onReceived);

    private static async Task<RawResponse> SendAsync(Uri baseAddress, string path, string body, (string Name, string Value)[] headers, Action<byte[]>? onReceived)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var client = new TcpClient();
        await client.ConnectAsync(baseAddress.Host, baseAddress.Port, timeout.Token);
        NetworkStream stream = client.GetStream();
        byte[] bodyBytes = Encoding.UTF8.GetBytes(body);
        var request = new StringBuilder()
            .Append("POST ").Append(path).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(baseAddress.Authority).Append("\r\n")
            .Append("Content-Type: application/json\r\n")
            .Append("Content-Length: ").Append(bodyBytes.Length).Append("\r\n")
            .Append("Connection: close\r\n");
        foreach ((string name, string value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(request.Append("\r\n").ToString()), timeout.Token);
        await stream.WriteAsync(bodyBytes, timeout.Token);

        var received = new MemoryStream();
        byte[] buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                onReceived?.Invoke(received.ToArray());
            }
        }
        catch (IOException)
        {
            // A reset: keep what arrived before it.
        }

        return Parse(received.ToArray());
    }

    public static RawResponse Parse(byte[] bytes)
    {
        int headerEnd = bytes.AsSpan().IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return new RawResponse(0, [], [], Complete: false);
        }

        string[] lines = Encoding.ASCII.GetString(bytes, 0, headerEnd).Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1].Trim())).ToList();
        ReadOnlySpan<byte> rest = bytes.AsSpan(headerEnd + 4);
        bool chunked = headers.Any(h => h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Value.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        if (!chunked)
        {
            string? length = headers.Where(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
            bool complete = length is null || rest.Length == int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
            return new RawResponse(status, headers, rest.Length == 0 ? [] : [rest.ToArray()], complete);
        }

        var chunks = new List<byte[]>();
        while (true)
        {
            int lineEnd = rest.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                return new RawResponse(status, headers, chunks, Complete: false);
            }

            int size = Convert.ToInt32(Encoding.ASCII.GetString(rest[..lineEnd]), 16);
            if (size == 0)
            {
                return new RawResponse(status, headers, chunks, Complete: rest[(lineEnd + 2)..].StartsWith("\r\n"u8));
            }

            if (rest.Length < lineEnd + 2 + size + 2)
            {
                return new RawResponse(status, headers, chunks, Complete: false);
            }

            chunks.Add(rest.Slice(lineEnd + 2, size).ToArray());
            rest = rest[(lineEnd + 2 + size + 2)..];
        }
    }

    public static byte[][] Utf8(params string[] pieces) => pieces.Select(p => Encoding.UTF8.GetBytes(p)).ToArray();
}
