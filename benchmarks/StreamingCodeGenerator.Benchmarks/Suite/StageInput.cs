using System.Net.ServerSentEvents;
using System.Text;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>
/// What every stage benchmark reads: the throughput comparison's stream (4-character deltas of a bubble sort answer
/// with a fenced code block) as SSE bytes, as each event's data, as parsed updates and as deltas, made once.
/// </summary>
internal sealed class StageInput
{
    /// <summary>Events per benchmark invocation; each benchmark reports per event (OperationsPerInvoke).</summary>
    public const int Events = 1_000;

    private StageInput()
    {
        string body = LoopbackSseServer.Body(StreamingThroughput.Answer, Events, deltaLength: 4);
        Bytes = Encoding.UTF8.GetBytes(body);
        EventData = body.Split("\n\n").Where(e => e.StartsWith("data: {", StringComparison.Ordinal)).Select(e => Encoding.UTF8.GetBytes(e[6..])).ToArray();
        var parser = new ChatStreamEventParser(Redactor);
        var updates = new List<ChatUpdate>();
        foreach (byte[] data in EventData)
        {
            ChatStreamEvent e = parser.Parse(string.Empty, data);
            updates.Add(new ChatUpdate { Text = e.Content, FinishReason = e.FinishReason, Usage = e.Usage, ResponseId = e.Id, ModelId = e.Model });
        }

        Updates = [.. updates];
        Deltas = updates.Where(u => u.Text is not null).Select(u => u.Text!).ToArray();
    }

    // Before Instance: static initializers run in text order, and the constructor uses the redactor.
    public static SecretRedactor Redactor { get; } = new("sk-bench");

    public static StageInput Instance { get; } = new();

    /// <summary>The whole SSE body as the server sends it.</summary>
    public byte[] Bytes { get; }

    /// <summary>Each JSON event's data, without <c>data: </c>.</summary>
    public byte[][] EventData { get; }

    public ChatUpdate[] Updates { get; }

    public string[] Deltas { get; }

    /// <summary>A parser past the first event, as the source leaves it: id and model are known, so not read again.</summary>
    public static ChatStreamEventParser WarmParser() => new(Redactor) { NeedId = false, NeedModel = false };

    /// <summary>SSE framing over the body with <paramref name="parse"/> as the item parser; returns a checksum.</summary>
    public async Task<int> FrameAsync<T>(Stream stream, SseItemParser<T> parse, Func<T, int> measure)
    {
        int n = 0;
        await foreach (SseItem<T> item in SseParser.Create(stream, parse).EnumerateAsync())
        {
            n += measure(item.Data);
        }

        return n;
    }
}
