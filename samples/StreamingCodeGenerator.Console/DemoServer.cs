using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>An offline stand-in for an OpenAI-compatible server: replays a recorded answer as real SSE on loopback.</summary>
internal sealed class DemoServer : IAsyncDisposable
{
    private const string Answer =
        "Here is a bubble sort in C#:\n\n```csharp\npublic static void BubbleSort(int[] items)\n{\n" +
        "    for (int end = items.Length - 1; end > 0; end--)\n    {\n        bool swapped = false;\n" +
        "        for (int i = 0; i < end; i++)\n        {\n            if (items[i] > items[i + 1])\n            {\n" +
        "                (items[i], items[i + 1]) = (items[i + 1], items[i]);\n                swapped = true;\n            }\n        }\n\n" +
        "        if (!swapped)\n        {\n            break;\n        }\n    }\n}\n```\n\n" +
        "Each pass bubbles the largest remaining item to the end; the loop stops early once a pass makes no swap, " +
        "so an already sorted array costs one pass (O(n)); the worst case is O(n²).\n";

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private DemoServer(int port)
    {
        Endpoint = new Uri($"http://127.0.0.1:{port}/v1/");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Endpoint { get; }

    public static DemoServer Start()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new DemoServer(port);
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().WaitAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(() => ReplayAsync(context));
        }
    }

    private async Task ReplayAsync(HttpListenerContext context)
    {
        try
        {
            context.Response.ContentType = "text/event-stream";
            context.Response.SendChunked = true;
            Stream body = context.Response.OutputStream;
            await WriteAsync(body, "{\"id\":\"demo\",\"model\":\"demo-replay\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}");
            for (int i = 0; i < Answer.Length; i += 6)
            {
                string piece = Answer.Substring(i, Math.Min(6, Answer.Length - i));
                await WriteAsync(body, "{\"id\":\"demo\",\"model\":\"demo-replay\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + JsonEncodedText.Encode(piece).Value + "\"}}]}");
                await Task.Delay(8, _stop.Token);
            }

            await WriteAsync(body, "{\"id\":\"demo\",\"model\":\"demo-replay\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
            await WriteAsync(body, "{\"id\":\"demo\",\"choices\":[],\"usage\":{\"prompt_tokens\":38,\"completion_tokens\":180,\"total_tokens\":218}}");
            byte[] done = Encoding.UTF8.GetBytes("data: [DONE]\n\n");
            await body.WriteAsync(done);
            context.Response.Close();
        }
        catch (Exception)
        {
            context.Response.Abort();
        }
    }

    private static async Task WriteAsync(Stream body, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes("data: " + json + "\n\n");
        await body.WriteAsync(bytes);
        await body.FlushAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _loop.ConfigureAwait(false);
        _listener.Close();
        _stop.Dispose();
    }
}
