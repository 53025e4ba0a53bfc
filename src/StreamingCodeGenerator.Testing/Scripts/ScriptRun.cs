using System.Text;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <summary>One run of an <see cref="SseScript"/> against one request: where to write, on which clock, in which format.</summary>
internal sealed class ScriptRun
{
    private readonly RecordedRequest? _request;
    private int _events;

    public ScriptRun(HttpContext context, ChunkJson json)
    {
        Context = context;
        Json = json;
        RequestScope? scope = RequestScope.Of(context);
        _request = scope?.Request;
        Time = scope?.TimeProvider ?? TimeProvider.System;
        WaitTimeout = scope?.WaitTimeout ?? TimeSpan.FromSeconds(30);
    }

    public HttpContext Context { get; }

    /// <summary>Writes chunk JSON with the script's id and model.</summary>
    public ChunkJson Json { get; }

    public CancellationToken Aborted => Context.RequestAborted;

    public TimeProvider Time { get; }

    public TimeSpan WaitTimeout { get; }

    public RecordedRequest Request => _request
        ?? throw new InvalidOperationException("This step reads the request, so the script must run inside an OpenAITestServer.");

    public SseLineEnding LineEnding { get; set; }

    public string NewLine => LineEnding switch
    {
        SseLineEnding.CrLf => "\r\n",
        SseLineEnding.Cr => "\r",
        _ => "\n",
    };

    public TimeSpan Pace { get; set; }

    public bool Trickle { get; set; }

    /// <summary>Frames <paramref name="data"/> as a <c>data:</c> event in the current line ending and writes it.</summary>
    public Task WriteDataAsync(string data) => WriteEventAsync("data: " + data + NewLine + NewLine);

    /// <summary>Writes one event (or any unit the pacing counts), waiting <see cref="Pace"/> first unless it is the first.</summary>
    public Task WriteEventAsync(string text) => WriteEventAsync(Encoding.UTF8.GetBytes(text));

    /// <summary>Writes one event's bytes, waiting <see cref="Pace"/> first unless it is the first.</summary>
    public async Task WriteEventAsync(ReadOnlyMemory<byte> bytes)
    {
        if (_events++ > 0)
        {
            await DelayAsync(Pace).ConfigureAwait(false);
        }

        await WriteAsync(bytes).ConfigureAwait(false);
    }

    /// <summary>Writes and flushes, one byte per write when <see cref="Trickle"/> is on.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        Stream body = Context.Response.Body;
        if (!Trickle)
        {
            await body.WriteAsync(bytes, Aborted).ConfigureAwait(false);
            await body.FlushAsync(Aborted).ConfigureAwait(false);
            return;
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            await body.WriteAsync(bytes.Slice(i, 1), Aborted).ConfigureAwait(false);
            await body.FlushAsync(Aborted).ConfigureAwait(false);
        }
    }

    public Task DelayAsync(TimeSpan delay) => ExactDelay.WaitAsync(Time, delay, Aborted);
}
