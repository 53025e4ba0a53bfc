using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <content>Replaying a recorded event stream body (an <c>.sse</c> file) event by event.</content>
public static partial class Respond
{
    /// <summary>
    /// A 200 <c>text/event-stream</c> response writing a recorded body exactly, one event per write and flush (an event
    /// ends with its blank line, in any line ending), then running <paramref name="then"/> (<see cref="Cut"/>, <see cref="Stall"/>…).
    /// </summary>
    /// <param name="body">The body, byte for byte (for example a file of OpenAI's or Anthropic's recorded streams); copied.</param>
    /// <param name="then">What to do after the body; <see langword="null"/> ends the response normally.</param>
    /// <returns>The script.</returns>
    public static Func<HttpContext, Task> SseBody(ReadOnlyMemory<byte> body, Func<HttpContext, Task>? then = null)
    {
        var script = new SseScript();
        foreach (ReadOnlyMemory<byte> sseEvent in SplitEvents(body.ToArray()))
        {
            script.Raw(sseEvent.ToArray());
        }

        return then is null ? script.Build() : script.Then(then).Build();
    }

    /// <summary>Like <see cref="SseBody"/>, with the body read from a file now (not at each request).</summary>
    /// <param name="path">The file, for example <c>Recordings/anthropic-text.sse</c>.</param>
    /// <param name="then">What to do after the body; <see langword="null"/> ends the response normally.</param>
    /// <returns>The script.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Func<HttpContext, Task> SseFile(string path, Func<HttpContext, Task>? then = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return SseBody(File.ReadAllBytes(path), then);
    }

    /// <summary>Cuts a body after each blank line (<c>\n\n</c>, <c>\r\n\r\n</c>, <c>\r\r</c> or mixes); what follows the last one is the last piece.</summary>
    internal static List<ReadOnlyMemory<byte>> SplitEvents(ReadOnlyMemory<byte> body)
    {
        var events = new List<ReadOnlyMemory<byte>>();
        ReadOnlySpan<byte> span = body.Span;
        int start = 0;
        bool lineIsEmpty = true;
        int i = 0;
        while (i < span.Length)
        {
            byte b = span[i];
            if (b is (byte)'\r' or (byte)'\n')
            {
                int end = b == (byte)'\r' && i + 1 < span.Length && span[i + 1] == (byte)'\n' ? i + 2 : i + 1;
                if (lineIsEmpty && i > start)
                {
                    events.Add(body[start..end]);
                    start = end;
                }

                lineIsEmpty = true;
                i = end;
                continue;
            }

            lineIsEmpty = false;
            i++;
        }

        if (start < span.Length)
        {
            events.Add(body[start..]);
        }

        return events;
    }
}
