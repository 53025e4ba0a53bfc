using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// An OpenAI-compatible upstream on 127.0.0.1 that streams at a model's pace: every request gets a role chunk at once,
/// then <c>chunks</c> content chunks one <c>interval</c> apart (scheduled from the request's arrival, so the pace does
/// not drift), each its own HTTP chunk and each stamped with its send time (<see cref="Stamp"/>), then a finish chunk,
/// usage and <c>[DONE]</c>. Raw sockets and one small buffer per connection, so that it costs little next to what it
/// measures; keep-alive, any path.
/// </summary>
internal sealed class PacedSseServer : IAsyncDisposable
{
    private const string Head = "{\"id\":\"chatcmpl-Paced0123456789abcdefghij\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\",\"choices\":[{\"index\":0,\"delta\":";
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly int _chunks;
    private readonly long _intervalTicks;
    private readonly byte[] _start;
    private readonly byte[] _end;
    private long _streams;
    private int _active;
    private int _peakActive;

    public PacedSseServer(int chunks, int chunksPerSecond)
    {
        _chunks = chunks;
        _intervalTicks = Stopwatch.Frequency / chunksPerSecond;
        _start = Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n\r\n" +
            HttpChunk("data: " + Head + "{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n"));
        _end = Encoding.ASCII.GetBytes(
            HttpChunk("data: " + Head + "{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n") +
            HttpChunk(string.Create(CultureInfo.InvariantCulture, $"data: {{\"id\":\"chatcmpl-Paced0123456789abcdefghij\",\"object\":\"chat.completion.chunk\",\"created\":1731000000,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{{\"prompt_tokens\":25,\"completion_tokens\":{chunks * 9},\"total_tokens\":{chunks * 9 + 25}}}}}\n\n")) +
            HttpChunk("data: [DONE]\n\n") +
            "0\r\n\r\n");
        _listener.Start(4096);
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1/");
        _accepting = AcceptAsync();
    }

    /// <summary><c>upstream [--chunks 100] [--rate 50]</c>: serves until Enter (or end of input), for trying a service by hand.</summary>
    public static async Task<int> ServeAsync(ReadOnlyMemory<string> args)
    {
        int chunks = 100, rate = 50;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            int value = int.Parse(args.Span[i + 1], CultureInfo.InvariantCulture);
            _ = args.Span[i] switch
            {
                "--chunks" => chunks = value,
                "--rate" => rate = value,
                _ => throw new ArgumentException($"unknown argument '{args.Span[i]}'", nameof(args)),
            };
        }

        await using var server = new PacedSseServer(chunks, rate);
        Console.WriteLine(server.Endpoint);
        await Console.In.ReadLineAsync();
        return 0;
    }

    /// <summary>The base address, ending in <c>/v1/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>How many streams were started.</summary>
    public long Streams => Interlocked.Read(ref _streams);

    /// <summary>How many streams are being sent right now.</summary>
    public int ActiveStreams => Volatile.Read(ref _active);

    /// <summary>The most streams sent at once since the last <see cref="ResetPeak"/>: how much load a service really let through.</summary>
    public int PeakActiveStreams => Volatile.Read(ref _peakActive);

    public void ResetPeak() => Volatile.Write(ref _peakActive, ActiveStreams);

    /// <summary>
    /// Waits until no stream is being sent (a service may still be working through streams its load generator gave up
    /// on), at most <paramref name="limit"/>; returns whether it got there.
    /// </summary>
    public async Task<bool> WaitUntilIdleAsync(TimeSpan limit)
    {
        long start = Stopwatch.GetTimestamp();
        while (ActiveStreams > 0)
        {
            if (Stopwatch.GetElapsedTime(start) > limit)
            {
                return false;
            }

            await Task.Delay(50);
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

    private static string HttpChunk(string data) =>
        string.Create(CultureInfo.InvariantCulture, $"{Encoding.UTF8.GetByteCount(data):x}\r\n{data}\r\n");

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                return;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        socket.NoDelay = true;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using (socket)
            {
                while (await LoopbackSseServer.ReadRequestAsync(socket, buffer))
                {
                    Interlocked.Increment(ref _streams);
                    int active = Interlocked.Increment(ref _active);
                    int peak;
                    while (active > (peak = Volatile.Read(ref _peakActive)) && Interlocked.CompareExchange(ref _peakActive, active, peak) != peak)
                    {
                    }
                    try
                    {
                        await StreamAsync(socket, buffer);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _active);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            // The client went away mid-stream, or the server is stopping.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task StreamAsync(Socket socket, byte[] buffer)
    {
        long start = Stopwatch.GetTimestamp();
        await socket.SendAsync(_start, SocketFlags.None, _stop.Token);
        for (int sequence = 0; sequence < _chunks; sequence++)
        {
            long due = start + ((sequence + 1) * _intervalTicks);
            long now = Stopwatch.GetTimestamp();
            if (due > now)
            {
                await Task.Delay(Stopwatch.GetElapsedTime(now, due), _stop.Token);
            }

            int length = WriteChunk(buffer, sequence);
            await socket.SendAsync(buffer.AsMemory(0, length), SocketFlags.None, _stop.Token);
        }

        await socket.SendAsync(_end, SocketFlags.None, _stop.Token);
    }

    /// <summary>Writes one content chunk, stamped now, as one HTTP chunk.</summary>
    private static int WriteChunk(byte[] buffer, int sequence)
    {
        string data = "data: " + Head + "{\"content\":\"" + Stamp.Text(sequence, Stopwatch.GetTimestamp()) + "\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
        int headerLength = Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n", buffer);
        int length = headerLength + Encoding.ASCII.GetBytes(data, buffer.AsSpan(headerLength));
        buffer[length++] = (byte)'\r';
        buffer[length++] = (byte)'\n';
        return length;
    }
}
