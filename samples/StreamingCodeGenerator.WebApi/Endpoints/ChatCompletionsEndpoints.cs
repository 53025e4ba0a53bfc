using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.Hosting;
using StreamingCodeGeneration.WebApi.OpenAI;
using StreamingCodeGeneration.WebApi.Requests;

namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary><c>POST /v1/chat/completions</c>: OpenAI-compatible, streamed as server-sent events or whole.</summary>
internal static class ChatCompletionsEndpoints
{
    public static RouteHandlerBuilder MapChatCompletionsEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/v1/chat/completions", CreateAsync)
            .WithName("CreateChatCompletion")
            .WithTags("OpenAI-compatible")
            .WithSummary("OpenAI-compatible chat completion, streamed (SSE) or whole")
            .WithDescription(
                "Accepts OpenAI's chat completion request (messages with system/developer, user and assistant roles, content as a " +
                "string or text parts; model, temperature, max_tokens or max_completion_tokens, stop, stream, " +
                "stream_options.include_usage) or the earlier Python service's {\"prompt\": ...}. stream: true answers text/event-stream: " +
                "data: {chat.completion.chunk} events, a usage chunk when asked, then data: [DONE]. stream: false answers one " +
                "chat.completion. Each chunk's x_scg field (ignored by standard clients) says whether its text is explanation, " +
                "code or a fence line, with the block's language, index and file name. Errors use OpenAI's {\"error\": {...}} " +
                "object; after the stream started, a failure arrives as a last data: {\"error\": {...}} event.")
            .DocumentJsonBody<ChatCompletionRequest>("OpenAI's chat completion request, or the earlier Python service's {\"prompt\": ...}.")
            .Produces<ChatCompletion>(StatusCodes.Status200OK, "application/json")
            .DocumentAlternative<ChatCompletionChunk>("text/event-stream")
            .Produces<OpenAIErrorResponse>(StatusCodes.Status400BadRequest)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status413PayloadTooLarge)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status415UnsupportedMediaType)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status429TooManyRequests)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status502BadGateway)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status503ServiceUnavailable)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status504GatewayTimeout);

    private static async Task<Results<EventStreamResult, JsonHttpResult<ChatCompletion>, JsonHttpResult<OpenAIErrorResponse>>> CreateAsync(
        HttpContext context, GenerationStarter starter, IOptions<WebApiOptions> options, TimeProvider time)
    {
        WebApiOptions settings = options.Value;
        (JsonDocument? body, ServiceError? bodyError) = await JsonBody.ReadAsync(context.Request, settings.MaxRequestBodyBytes, ChatCompletionRequest.Example);
        if (bodyError is not null)
        {
            return ErrorResults.OpenAI(context, bodyError);
        }

        ParsedChatRequest? parsed;
        ServiceError? error;
        using (body)
        {
            (parsed, error) = ChatCompletionRequest.Parse(body!.RootElement, settings.MaxPromptCharacters, settings.AllowedModels);
        }

        if (error is not null)
        {
            return ErrorResults.OpenAI(context, error);
        }

        GenerationStart start = await starter.StartAsync(parsed!.Request, context.RequestAborted, parsed.OutputLimitField);
        if (start.Error is not null)
        {
            return ErrorResults.OpenAI(context, start.Error);
        }

        RunningGeneration running = start.Generation!;
        var answer = new AnswerIdentity(
            "chatcmpl-" + Guid.NewGuid().ToString("N")[..24],
            time.GetUtcNow().ToUnixTimeSeconds(),
            running.Stream.Stats.ModelId ?? parsed.Request.Model ?? starter.Generator.Options.Model);
        if (parsed.Stream)
        {
            return new EventStreamResult(StreamEventsAsync(running, answer, parsed.IncludeUsage, starter.Generator));
        }

        return await CompleteAsync(context, running, answer, starter.Generator);
    }

    private static async IAsyncEnumerable<SseItem<ServerEvent>> StreamEventsAsync(
        RunningGeneration running, AnswerIdentity answer, bool includeUsage, StreamingCodeGenerator generator, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using (running)
        {
            bool first = true;
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
                    // OpenAI's clients raise an error for a data event holding an "error" object, keeping what arrived.
                    yield return Event(ServerEvent.Json(ErrorResults.ToOpenAI(failure), WebApiJsonContext.Events.OpenAIErrorResponse));
                    yield break;
                }

                if (!more)
                {
                    break;
                }

                Chunk chunk = running.Current;
                var delta = new ChunkDelta(first ? "assistant" : null, chunk.Text);
                first = false;
                var extension = new ChunkExtension(Kind(chunk.Kind), chunk.Language, chunk.BlockIndex, chunk.FileName, running.Stream.TokenCount);
                yield return Event(Serialize(new ChatCompletionChunk(answer.Id, answer.Created, answer.Model, [new ChunkChoice(0, delta, null)], XScg: extension)));
            }

            StreamStats stats = running.Stream.Stats;
            var end = new ChunkExtension("end", null, 0, null, stats.TokenCount, GenerationStats.From(stats));
            var lastDelta = first ? new ChunkDelta("assistant", string.Empty) : new ChunkDelta();
            yield return Event(Serialize(new ChatCompletionChunk(answer.Id, answer.Created, answer.Model, [new ChunkChoice(0, lastDelta, FinishReasons.ToOpenAI(stats))], XScg: end)));
            if (includeUsage)
            {
                CompletionUsage usage = CompletionUsage.From(stats, () => generator.CountPromptTokens(running.Request));
                yield return Event(Serialize(new ChatCompletionChunk(answer.Id, answer.Created, answer.Model, [], usage)));
            }

            yield return Event(ServerEvent.Text("[DONE]"));
        }
    }

    private static async Task<Results<EventStreamResult, JsonHttpResult<ChatCompletion>, JsonHttpResult<OpenAIErrorResponse>>> CompleteAsync(
        HttpContext context, RunningGeneration running, AnswerIdentity answer, StreamingCodeGenerator generator)
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
            CodeGenerationResult result = running.Stream.Result!;
            var blocks = result.CodeBlocks.Select(b => new CodeBlockInfo(b.Index, b.Language, b.FileName, b.Code, b.IsTerminated)).ToList();
            var completion = new ChatCompletion(
                answer.Id,
                answer.Created,
                answer.Model,
                [new CompletionChoice(0, new CompletionMessage(result.Text, stats.Refusal), FinishReasons.ToOpenAI(stats))],
                CompletionUsage.From(stats, () => generator.CountPromptTokens(running.Request)),
                new CompletionExtension(blocks, result.Explanation, GenerationStats.From(stats)));
            return TypedResults.Json(completion, WebApiJsonContext.Default.ChatCompletion);
        }
    }

    private static string Kind(ChunkKind kind) => kind switch
    {
        ChunkKind.Code => "code",
        ChunkKind.Fence => "fence",
        ChunkKind.Reasoning => "reasoning",
        _ => "explanation",
    };

    private static ServerEvent Serialize(ChatCompletionChunk chunk) => ServerEvent.Json(chunk, WebApiJsonContext.Events.ChatCompletionChunk);

    private static SseItem<ServerEvent> Event(ServerEvent data) => new(data);

    private sealed record AnswerIdentity(string Id, long Created, string Model);
}
