using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.Hosting;
using StreamingCodeGeneration.WebApi.OpenAI;
using StreamingCodeGeneration.WebApi.Requests;

namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary>
/// <c>POST /v1/responses</c>: OpenAI's Responses API for text in and text out, streamed as its server-sent events or
/// whole. The Vercel AI SDK's default OpenAI model and OpenAI's own clients use it.
/// </summary>
/// <remarks>
/// A stream is: <c>response.created</c>, <c>response.in_progress</c>, <c>response.output_item.added</c> (one assistant
/// message), <c>response.content_part.added</c> (one <c>output_text</c> part), a <c>response.output_text.delta</c> per
/// chunk, then <c>response.output_text.done</c>, <c>response.content_part.done</c>, <c>response.output_item.done</c> and
/// <c>response.completed</c> (or <c>response.incomplete</c> when a length limit or content filter cut the answer), every
/// event named in its <c>event:</c> line and numbered by <c>sequence_number</c> from 0, as OpenAI's API sends them. A
/// failure after the stream started ends it with an <c>error</c> event and <c>response.failed</c>.
/// </remarks>
internal static class ResponsesEndpoints
{
    private const int OutputIndex = 0;
    private const int ContentIndex = 0;

    public static RouteHandlerBuilder MapResponsesEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/v1/responses", CreateAsync)
            .WithName("CreateResponse")
            .WithTags("OpenAI-compatible")
            .WithSummary("OpenAI's Responses API, text in and text out, streamed (SSE) or whole")
            .WithDescription(
                "Accepts input as a string or as messages with input_text/output_text parts, instructions, model, temperature, " +
                "max_output_tokens and stream. stream: true answers text/event-stream with OpenAI's events (response.created, " +
                "response.in_progress, response.output_item.added, response.content_part.added, response.output_text.delta..., " +
                "response.output_text.done, response.content_part.done, response.output_item.done, then response.completed, " +
                "response.incomplete or, after an error event, response.failed), each with a sequence_number. stream: false answers " +
                "one response object. Tools, JSON output (text.format), stored responses (previous_response_id) and log " +
                "probabilities are refused with 400 unsupported_parameter.")
            .DocumentJsonBody<ResponsesRequest>("OpenAI's Responses API request (text only).")
            .Produces<ResponseObject>(StatusCodes.Status200OK, "application/json")
            .DocumentAlternative<ResponseTextDeltaEvent>(EventStreamResult.MediaType)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status429TooManyRequests)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status502BadGateway)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status503ServiceUnavailable)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status504GatewayTimeout);

    private static async Task<Results<EventStreamResult, JsonHttpResult<ResponseObject>, JsonHttpResult<OpenAIErrorResponse>>> CreateAsync(
        HttpContext context, GenerationStarter starter, IOptions<WebApiOptions> options, TimeProvider time)
    {
        WebApiOptions settings = options.Value;
        (JsonDocument? body, ServiceError? bodyError) = await JsonBody.ReadAsync(context.Request, settings.MaxRequestBodyBytes, ResponsesRequest.Example);
        if (bodyError is not null)
        {
            return ErrorResults.OpenAI(context, bodyError);
        }

        ParsedResponsesRequest? parsed;
        ServiceError? error;
        using (body)
        {
            (parsed, error) = ResponsesRequest.Parse(body!.RootElement, settings.MaxPromptCharacters, settings.AllowedModels);
        }

        if (error is not null)
        {
            return ErrorResults.OpenAI(context, error);
        }

        GenerationStart start = await starter.StartAsync(parsed!.Request, context.RequestAborted, parsed.Request.MaxOutputTokens is null ? null : "max_output_tokens");
        if (start.Error is not null)
        {
            return ErrorResults.OpenAI(context, start.Error);
        }

        RunningGeneration running = start.Generation!;
        var answer = new Answer(
            "resp_" + Guid.NewGuid().ToString("N"),
            "msg_" + Guid.NewGuid().ToString("N"),
            time.GetUtcNow().ToUnixTimeSeconds(),
            running.Stream.Stats.ModelId ?? parsed.Request.Model ?? starter.Generator.Options.Model,
            parsed);
        return parsed.Stream
            ? new EventStreamResult(StreamEventsAsync(running, answer, starter.Generator))
            : await CompleteAsync(context, running, answer, starter.Generator);
    }

    private static async IAsyncEnumerable<SseItem<ServerEvent>> StreamEventsAsync(
        RunningGeneration running, Answer answer, StreamingCodeGenerator generator, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using (running)
        {
            int sequence = 0;
            yield return Event(new ResponseLifecycleEvent("response.created", sequence++, answer.Response("in_progress", [])), WebApiJsonContext.Events.ResponseLifecycleEvent);
            yield return Event(new ResponseLifecycleEvent("response.in_progress", sequence++, answer.Response("in_progress", [])), WebApiJsonContext.Events.ResponseLifecycleEvent);
            yield return Event(new ResponseOutputItemEvent("response.output_item.added", sequence++, OutputIndex, new ResponseMessage(answer.ItemId, "in_progress", [])), WebApiJsonContext.Events.ResponseOutputItemEvent);
            yield return Event(new ResponseContentPartEvent("response.content_part.added", sequence++, answer.ItemId, OutputIndex, ContentIndex, new ResponseOutputText(string.Empty)), WebApiJsonContext.Events.ResponseContentPartEvent);

            var text = new StringBuilder();
            while (true)
            {
                ServiceError? failure = null;
                bool more;
                try
                {
                    more = await running.MoveNextAsync();
                }
                catch (Exception exception)
                {
                    if (running.Cancellation == GenerationCancellation.Client || cancellationToken.IsCancellationRequested)
                    {
                        yield break;
                    }

                    failure = running.Describe(exception);
                    more = false;
                }

                if (failure is not null)
                {
                    // As OpenAI's API ends a failed stream: an error event, then the failed response (with what arrived).
                    yield return Event(new ResponseErrorEvent(sequence++, ErrorResults.ToOpenAI(failure).Error), WebApiJsonContext.Events.ResponseErrorEvent);
                    ResponseObject failed = answer.Response("failed", [answer.Message("incomplete", text.ToString())]) with { Error = new ResponseError(failure.Code, failure.Message) };
                    yield return Event(new ResponseLifecycleEvent("response.failed", sequence++, failed), WebApiJsonContext.Events.ResponseLifecycleEvent);
                    yield break;
                }

                if (!more)
                {
                    break;
                }

                Chunk chunk = running.Current;
                if (chunk.Kind == ChunkKind.Reasoning)
                {
                    // Reasoning is never part of the answer's text.
                    continue;
                }

                text.Append(chunk.Text);
                yield return Event(new ResponseTextDeltaEvent(sequence++, answer.ItemId, OutputIndex, ContentIndex, chunk.Text), WebApiJsonContext.Events.ResponseTextDeltaEvent);
            }

            StreamStats stats = running.Stream.Stats;
            string whole = text.ToString();
            (string status, IncompleteDetails? incomplete) = Outcome(stats);
            ResponseMessage message = answer.Message(status == "completed" ? "completed" : "incomplete", whole);
            yield return Event(new ResponseTextDoneEvent(sequence++, answer.ItemId, OutputIndex, ContentIndex, whole), WebApiJsonContext.Events.ResponseTextDoneEvent);
            yield return Event(new ResponseContentPartEvent("response.content_part.done", sequence++, answer.ItemId, OutputIndex, ContentIndex, message.Content[0]), WebApiJsonContext.Events.ResponseContentPartEvent);
            yield return Event(new ResponseOutputItemEvent("response.output_item.done", sequence++, OutputIndex, message), WebApiJsonContext.Events.ResponseOutputItemEvent);
            ResponseObject done = answer.Response(status, [message]) with
            {
                IncompleteDetails = incomplete,
                Usage = ResponseUsage.From(stats, () => generator.CountPromptTokens(running.Request)),
            };
            yield return Event(new ResponseLifecycleEvent("response." + status, sequence, done), WebApiJsonContext.Events.ResponseLifecycleEvent);
        }
    }

    private static async Task<Results<EventStreamResult, JsonHttpResult<ResponseObject>, JsonHttpResult<OpenAIErrorResponse>>> CompleteAsync(
        HttpContext context, RunningGeneration running, Answer answer, StreamingCodeGenerator generator)
    {
        await using (running)
        {
            try
            {
                while (await running.MoveNextAsync())
                {
                }
            }
            catch (Exception exception)
            {
                // Nothing is written yet: a failure at any point still gets its own status.
                return ErrorResults.OpenAI(context, running.Describe(exception));
            }

            StreamStats stats = running.Stream.Stats;
            (string status, IncompleteDetails? incomplete) = Outcome(stats);
            ResponseObject response = answer.Response(status, [answer.Message(status, running.Stream.Result!.Text)]) with
            {
                IncompleteDetails = incomplete,
                Usage = ResponseUsage.From(stats, () => generator.CountPromptTokens(running.Request)),
            };
            return TypedResults.Json(response, WebApiJsonContext.Default.ResponseObject);
        }
    }

    /// <summary>completed, or incomplete with OpenAI's reason when a length limit or a content filter cut the answer.</summary>
    private static (string Status, IncompleteDetails? Incomplete) Outcome(StreamStats stats) => stats.FinishReason switch
    {
        FinishReason.Length => ("incomplete", new IncompleteDetails("max_output_tokens")),
        FinishReason.ContentFilter => ("incomplete", new IncompleteDetails("content_filter")),
        _ => ("completed", null),
    };

    private static SseItem<ServerEvent> Event<T>(T data, JsonTypeInfo<T> typeInfo)
        where T : notnull
    {
        string type = data switch
        {
            ResponseLifecycleEvent lifecycle => lifecycle.Type,
            ResponseOutputItemEvent item => item.Type,
            ResponseContentPartEvent part => part.Type,
            ResponseTextDeltaEvent delta => delta.Type,
            ResponseTextDoneEvent done => done.Type,
            ResponseErrorEvent error => error.Type,
            _ => throw new ArgumentException("Not a Responses API event.", nameof(data)),
        };
        return new SseItem<ServerEvent>(ServerEvent.Json(data, typeInfo), type);
    }

    /// <summary>The response's identity and what it repeats of the request.</summary>
    private sealed record Answer(string Id, string ItemId, long CreatedAt, string Model, ParsedResponsesRequest Request)
    {
        public ResponseObject Response(string status, IReadOnlyList<ResponseMessage> output) => new(
            Id,
            CreatedAt,
            status,
            null,
            null,
            Request.Instructions,
            Request.Request.MaxOutputTokens,
            Model,
            output,
            Request.Temperature,
            Request.TopP,
            null,
            Request.User,
            Request.Metadata);

        public ResponseMessage Message(string status, string text) => new(ItemId, status, [new ResponseOutputText(text)]);
    }
}
