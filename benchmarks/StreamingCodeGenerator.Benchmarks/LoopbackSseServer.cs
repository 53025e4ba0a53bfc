using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// The cheapest possible OpenAI-compatible server on 127.0.0.1: every request gets the same pre-rendered HTTP/1.1
/// response (an SSE body, chunked), written in 64 KiB pieces from one byte array, so the server costs next to nothing
/// and allocates nothing per event. Both sides of a comparison read the same bytes from it.
/// </summary>
internal sealed class LoopbackSseServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly byte[] _response;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <param name="sseBody">The SSE body every request receives.</param>
    /// <param name="backlog">Connections the kernel queues before we accept them: room for a thousand connecting at once.</param>
    public LoopbackSseServer(string sseBody, int backlog = 4096)
    {
        _response = Render(sseBody);
        _listener.Start(backlog);
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1/");
        _accepting = AcceptAsync();
    }

    public Uri Endpoint { get; }

    /// <summary>An SSE body of <paramref name="events"/> content deltas cut from <paramref name="answer"/>, then a finish chunk, usage and [DONE].</summary>
    public static string Body(string answer, int events, int deltaLength)
    {
        var body = new StringBuilder(events * 260);
        const string Head = "{\"id\":\"chatcmpl-AbCdEfGhIjKlMnOpQrStUvWxYz012\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_0ba0d124f1\",";
        body.Append("data: ").Append(Head).Append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"abc\"}\n\n");
        int position = 0;
        for (int i = 0; i < events; i++)
        {
            if (position + deltaLength > answer.Length)
            {
                position = 0;
            }

            string delta = answer.Substring(position, deltaLength);
            position += deltaLength;
            body.Append("data: ").Append(Head).Append("\"choices\":[{\"index\":0,\"delta\":{\"content\":")
                .Append(System.Text.Json.JsonSerializer.Serialize(delta))
                .Append("},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Xy9\"}\n\n");
        }

        body.Append("data: ").Append(Head).Append("\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
        body.Append("data: ").Append(Head).Append("\"choices\":[],\"usage\":{\"prompt_tokens\":25,\"completion_tokens\":").Append(events).Append(",\"total_tokens\":").Append(events + 25).Append("}}\n\n");
        body.Append("data: [DONE]\n\n");
        return body.ToString();
    }

    private static byte[] Render(string sseBody)
    {
        byte[] body = Encoding.UTF8.GetBytes(sseBody);
        using var response = new MemoryStream(body.Length + 4096);
        response.Write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n"u8);
        const int Piece = 16 * 1024;
        for (int offset = 0; offset < body.Length; offset += Piece)
        {
            int length = Math.Min(Piece, body.Length - offset);
            response.Write(Encoding.ASCII.GetBytes(length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"));
            response.Write(body, offset, length);
            response.Write("\r\n"u8);
        }

        response.Write("0\r\n\r\n"u8);
        return response.ToArray();
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
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        // Requests are small (headers and a chat request body); the scale row keeps a thousand connections open in
        // the process it measures, so the server's share of that memory stays small.
        byte[] buffer = new byte[16 * 1024];
        try
        {
            using (socket)
            {
                while (true)
                {
                    if (!await ReadRequestAsync(socket, buffer))
                    {
                        return;
                    }

                    for (int offset = 0; offset < _response.Length; offset += 64 * 1024)
                    {
                        await socket.SendAsync(_response.AsMemory(offset, Math.Min(64 * 1024, _response.Length - offset)), SocketFlags.None, _stop.Token);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            // The client went away (an abandoned stream), or the server is stopping.
        }
    }

    /// <summary>Reads one request: headers up to the blank line, then Content-Length bytes of body.</summary>
    internal static async Task<bool> ReadRequestAsync(Socket socket, byte[] buffer)
    {
        int length = 0;
        int headerEnd;
        while ((headerEnd = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None);
            if (read == 0)
            {
                return false;
            }

            length += read;
        }

        string headers = Encoding.ASCII.GetString(buffer, 0, headerEnd);
        int contentLength = 0;
        foreach (string line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(line.AsSpan(15).Trim(), CultureInfo.InvariantCulture);
            }
        }

        int have = length - (headerEnd + 4);
        while (have < contentLength)
        {
            int read = await socket.ReceiveAsync(buffer.AsMemory(0), SocketFlags.None);
            if (read == 0)
            {
                return false;
            }

            have += read;
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
