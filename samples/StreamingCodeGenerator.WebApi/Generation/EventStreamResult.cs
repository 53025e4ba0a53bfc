using System.Buffers;
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

        // One writer for the whole stream, pointed at each event's buffer in turn.
        using var json = new Utf8JsonWriter(Stream.Null, WebApiJsonContext.WriterOptions);
        await SseFormatter.WriteAsync(events, response.Body, (item, buffer) => Format(item.Data, buffer, json), httpContext.RequestAborted);
    }

    private static void Format(ServerEvent data, IBufferWriter<byte> buffer, Utf8JsonWriter json)
    {
        if (data.Literal is { } literal)
        {
            Encoding.UTF8.GetBytes(literal, buffer);
            return;
        }

        json.Reset(buffer);
        JsonSerializer.Serialize(json, data.Value, data.TypeInfo!);
        json.Flush();
    }
}
