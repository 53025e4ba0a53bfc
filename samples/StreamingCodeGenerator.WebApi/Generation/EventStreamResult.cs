using System.Buffers;
using System.IO.Pipelines;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using StreamingCodeGeneration.WebApi.OpenAI;

namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>
/// A <c>text/event-stream</c> answer, each event written and flushed as it arrives, its JSON serialized straight into
/// the response with the service's encoder (<see cref="WebApiJsonContext"/>: text stays text), no string per event.
/// </summary>
/// <remarks>
/// ASP.NET Core's <c>TypedResults.ServerSentEvents</c> also sends <c>Content-Encoding: identity</c>, so that response
/// compression middleware leaves the stream alone (a compressor holds bytes back until it has enough). RFC 9110 keeps
/// <c>identity</c> for <c>Accept-Encoding</c>; in a response it is noise clients and proxies puzzle over. This service
/// adds no compression middleware (ASP.NET Core's does not compress <c>text/event-stream</c> unless told to), buffering is
/// turned off for the response, and <c>Cache-Control: no-transform</c> asks proxies not to compress or otherwise change
/// it (nginx is also told <c>X-Accel-Buffering: no</c>).
/// </remarks>
internal sealed class EventStreamResult(IAsyncEnumerable<SseItem<ServerEvent>> events) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public const string MediaType = "text/event-stream";

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => MediaType + "; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        HttpResponse response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        StreamingHeaders.Apply(response);
        httpContext.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();

        // Each event is written straight into the response's pipe and flushed: the bytes sit in the server's pooled
        // blocks only until they are sent. (SseFormatter keeps two pooled buffers per stream for the whole stream, which
        // with thousands of slow streams open drains the shared pool and turns into long-lived garbage.) One JSON writer
        // for the whole stream, pointed at the pipe for each event.
        PipeWriter body = response.BodyWriter;
        CancellationToken cancellationToken = httpContext.RequestAborted;
        using var json = new Utf8JsonWriter(Stream.Null, WebApiJsonContext.WriterOptions);
        await foreach (SseItem<ServerEvent> item in events.WithCancellation(cancellationToken))
        {
            Write(item, body, json);
            FlushResult flushed = await body.FlushAsync(cancellationToken);
            if (flushed.IsCompleted || flushed.IsCanceled)
            {
                break;
            }
        }
    }

    /// <summary>
    /// Writes one event: an <c>event:</c> line when it has a type of its own, then its data on one <c>data:</c> line (JSON
    /// written without indentation holds no line break, nor does a <see cref="ServerEvent.Text"/> literal), then the
    /// blank line that ends it.
    /// </summary>
    private static void Write(SseItem<ServerEvent> item, PipeWriter body, Utf8JsonWriter json)
    {
        if (item.EventType != SseParser.EventTypeDefault)
        {
            body.Write("event: "u8);
            Encoding.UTF8.GetBytes(item.EventType, body);
            body.Write("\n"u8);
        }

        body.Write("data: "u8);
        ServerEvent data = item.Data;
        if (data.Literal is { } literal)
        {
            Encoding.UTF8.GetBytes(literal, body);
        }
        else
        {
            json.Reset(body);
            JsonSerializer.Serialize(json, data.Value, data.TypeInfo!);
            json.Flush();
        }

        body.Write("\n\n"u8);
    }
}
