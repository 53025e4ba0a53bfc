using System.Text;
using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>Building blocks for server scripts: each writes real bytes to the response.</summary>
public static class Respond
{
    /// <summary>A 200 <c>text/event-stream</c> response writing each piece as-is, flushing after each one.</summary>
    public static Func<HttpContext, Task> Sse(params string[] pieces) => Sse(pieces, then: null);

    /// <summary>Like <see cref="Sse(string[])"/>, then runs <paramref name="then"/> (cut, stall…).</summary>
    public static Func<HttpContext, Task> Sse(IEnumerable<string> pieces, Func<HttpContext, Task>? then) => async context =>
    {
        StartSse(context);
        await context.Response.StartAsync(context.RequestAborted);
        foreach (string piece in pieces)
        {
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(piece), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        if (then is not null)
        {
            await then(context);
        }
    };

    /// <summary>The standard answer: role chunk, one chunk per content piece, finish chunk, usage chunk, [DONE].</summary>
    public static Func<HttpContext, Task> Answer(params string[] contents) => Sse(Events.StandardAnswer(contents));

    /// <summary>Writes the whole body one byte per write (UTF-8 characters split across reads).</summary>
    public static Func<HttpContext, Task> Trickle(string body) => async context =>
    {
        StartSse(context);
        await context.Response.StartAsync(context.RequestAborted);
        foreach (byte b in Encoding.UTF8.GetBytes(body))
        {
            await context.Response.Body.WriteAsync(new[] { b }, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    };

    /// <summary>An error status with a body.</summary>
    public static Func<HttpContext, Task> Status(int status, string body, string contentType = "application/json", params (string Name, string Value)[] headers) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        foreach ((string name, string value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.WriteAsync(body, context.RequestAborted);
    };

    /// <summary>An OpenAI-style JSON error.</summary>
    public static Func<HttpContext, Task> Error(int status, string message, string? type = null, string? code = null, string? param = null, params (string Name, string Value)[] headers) =>
        Status(status, Events.ErrorJson(message, type, code, param), "application/json", headers);

    /// <summary>Abort the connection (a cut mid-stream).</summary>
    public static Task Cut(HttpContext context)
    {
        context.Abort();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Abort the connection once <paramref name="when"/> completes. A TCP reset can discard bytes the client has not
    /// read yet, so tests that assert on text before a cut wait until the client has it, then cut.
    /// </summary>
    public static Func<HttpContext, Task> CutWhen(Func<bool> when) => async context =>
    {
        await TestWait.UntilAsync(when, "the client received the text before the cut");
        context.Abort();
    };

    /// <summary>Send nothing more until the client goes away.</summary>
    public static Task Stall(HttpContext context) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    /// <summary>Stall before sending even the headers.</summary>
    public static Func<HttpContext, Task> StallBeforeHeaders() => Stall;

    private static void StartSse(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
    }
}
