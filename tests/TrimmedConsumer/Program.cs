// Trimmed and self-contained: stream from a minimal loopback server (raw sockets, so nothing but the library is
// trimmed) and check the text, the token count and the JSON context. Exit code 0 only if all hold.
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using StreamingCodeGeneration;

string[] pieces = ["Code:\n```csharp\n", "Console.WriteLine(\"hi\");\n", "```\n"];
var body = new StringBuilder();
foreach (string piece in pieces)
{
    body.Append("data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":")
        .Append(JsonSerializer.Serialize(piece, SourceGenerated.Default.String)).Append("}}]}\n\n");
}

body.Append("data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
byte[] payload = Encoding.UTF8.GetBytes(body.ToString());
using var listener = new TcpListener(IPAddress.Loopback, 0);
listener.Start();
Task serving = Task.Run(async () =>
{
    using Socket socket = await listener.AcceptSocketAsync();
    byte[] buffer = new byte[65536];
    int read = 0;
    while (!Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
    {
        read += await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None);
    }

    byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n");
    await socket.SendAsync(head, SocketFlags.None);
    await socket.SendAsync(payload, SocketFlags.None);
    socket.Shutdown(SocketShutdown.Both);
});

var generator = new StreamingCodeGenerator(new StreamingCodeGeneratorOptions
{
    Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/v1/"),
    Model = "gpt-4o-mini",
});
CodeGenerationStream stream = generator.GenerateAsync("Say hi in C#");
var text = new StringBuilder();
await foreach (Chunk chunk in stream)
{
    text.Append(chunk.Text);
}

await serving;
string json = JsonSerializer.Serialize(stream.Result!, StreamingCodeGeneratorJsonContext.Default.CodeGenerationResult);
bool ok = text.ToString() == string.Concat(pieces) && stream.Stats.TokenCount > 0 && json.Contains("\"language\":\"csharp\"", StringComparison.Ordinal);
Console.WriteLine(ok ? $"trimmed consumer: OK ({stream.Stats.TokenCount} tokens)" : "trimmed consumer: FAILED");
return ok ? 0 : 1;

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class SourceGenerated : System.Text.Json.Serialization.JsonSerializerContext;
