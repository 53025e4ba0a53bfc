using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.RepoTransform;
using StreamingCodeGeneration.WebApi.Endpoints;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.Hosting;
using StreamingCodeGeneration.WebApi.OpenAI;
using StreamingCodeGeneration.WebApi.Requests;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>
/// The repository transform (the earlier Python service's API): <c>POST /run</c> → <c>{"diff"}</c>, <c>POST /run/stream</c>
/// (progress events, then the diff) and <c>GET /runs</c> from the history. A thin layer over <see cref="RepositoryTransformer"/>:
/// the repository is checked by its parser (400), at most <c>WebApi:Runs:MaxConcurrentRuns</c> runs go on at once (503),
/// and a failure is answered — and stored — in the service's own words.
/// </summary>
internal static class RunEndpoints
{
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/run", RunAsync)
            .WithName("Run")
            .WithTags("Repository transform")
            .WithSummary("Change a repository as the prompt says and return the diff")
            .WithDescription("Clones the repository (shallow), shows the model the most relevant files, runs the operator's checks (WebApi:Runs:Checks) on the diff in a sandboxed temporary worktree and sends failures back for a revision, asks for a review, and answers the unified diff. The run is stored in the history. 200 also when the diff is not a success: see 'outcome' (ReviewUnrecognized, ChecksFailed).")
            .DocumentJsonBody<RunRequest>("The repository URL (repo_url; repoUrl is a deprecated alias) and what to change.")
            .Produces<RunResponse>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);

        endpoints.MapPost("/run/stream", StreamAsync)
            .WithName("RunStream")
            .WithTags("Repository transform")
            .WithSummary("The same run, as server-sent events: progress, then the diff")
            .WithDescription("event: progress events (repository_opened, files_selected, file_started, file_progress, diff_updated, check_started, check_completed, review_completed…), then event: result with the same body as POST /run. The status is sent once the repository is open; a later failure is a last event: error with {\"error\": {...}}.")
            .DocumentJsonBody<RunRequest>("The repository URL (repo_url; repoUrl is a deprecated alias) and what to change.")
            .Produces<RunProgressEvent>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        endpoints.MapGet("/runs", ListAsync)
            .WithName("ListRuns")
            .WithTags("Repository transform")
            .WithSummary("The most recent runs from the history, newest first")
            .Produces<IReadOnlyList<RunSummary>>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        endpoints.MapGet("/runs/{id:long}", GetAsync)
            .WithName("GetRun")
            .WithTags("Repository transform")
            .WithSummary("One stored run with its diff")
            .Produces<RunDetails>(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static async Task<(TransformRequest? Request, IReadOnlyList<string>? Warnings, ServiceError? Error)> ReadAsync(
        HttpContext context, WebApiOptions options, RepositoryTransformer transformer, ILogger logger)
    {
        (JsonDocument? body, ServiceError? error) = await JsonBody.ReadAsync(context.Request, options.MaxRequestBodyBytes, RunRequest.Example);
        if (error is not null)
        {
            return (null, null, error);
        }

        using (body)
        {
            (TransformRequest? request, bool deprecated, ServiceError? invalid) = RunRequest.Parse(body!.RootElement, options, transformer);
            if (deprecated)
            {
                RunLog.DeprecatedField(logger, RunRequest.DeprecatedRepoUrlField, RunRequest.RepoUrlField);
            }

            return (request, deprecated ? [RunRequest.DeprecationWarning] : null, invalid);
        }
    }

    private static async Task<Results<Ok<RunResponse>, ProblemHttpResult>> RunAsync(
        HttpContext context, RepositoryTransformer transformer, RunSlots slots, StreamShutdown shutdown, IOptions<WebApiOptions> options, ILogger<RepositoryTransformer> logger)
    {
        (TransformRequest? request, IReadOnlyList<string>? warnings, ServiceError? error) = await ReadAsync(context, options.Value, transformer, logger);
        if (error is not null)
        {
            return ErrorResults.Problem(context, error);
        }

        using IDisposable? slot = slots.TryTake();
        if (slot is null)
        {
            RunLog.Busy(logger, slots.Limit);
            return ErrorResults.Problem(context, RunErrors.Busy(slots.Limit));
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, shutdown.Stopping);
        try
        {
            TransformResult result = await transformer.RunAsync(request!, progress: null, cancel.Token);
            return TypedResults.Ok(RunResponse.From(result, warnings));
        }
        catch (Exception exception)
        {
            ServiceError failure = RunErrors.Map(exception, Cause(context, shutdown));
            RunLog.Failed(logger, failure.Status, failure.Code, exception.GetType().Name, RunErrors.Detail(exception));
            return ErrorResults.Problem(context, failure);
        }
    }

    private static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> StreamAsync(
        HttpContext context, RepositoryTransformer transformer, RunSlots slots, StreamShutdown shutdown, IOptions<WebApiOptions> options, ILogger<RepositoryTransformer> logger)
    {
        (TransformRequest? request, IReadOnlyList<string>? warnings, ServiceError? error) = await ReadAsync(context, options.Value, transformer, logger);
        if (error is not null)
        {
            return ErrorResults.Problem(context, error);
        }

        // The slot is held until the stream ends (ForwardAsync gives it back; the response, at the latest).
        IDisposable? slot = slots.TryTake();
        if (slot is null)
        {
            RunLog.Busy(logger, slots.Limit);
            return ErrorResults.Problem(context, RunErrors.Busy(slots.Limit));
        }

        context.Response.RegisterForDispose(slot);

        var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, shutdown.Stopping);
        IAsyncEnumerator<TransformEvent> events = transformer.StreamAsync(request!, cancel.Token).GetAsyncEnumerator(cancel.Token);
        try
        {
            // As with generation: the status waits for the first event (the repository is open), so a repository that
            // cannot be cloned is still a 422.
            if (!await events.MoveNextAsync())
            {
                throw new InvalidOperationException("The run ended without events.");
            }
        }
        catch (Exception exception)
        {
            await events.DisposeAsync();
            cancel.Dispose();
            slot.Dispose();
            ServiceError failure = RunErrors.Map(exception, Cause(context, shutdown));
            RunLog.Failed(logger, failure.Status, failure.Code, exception.GetType().Name, RunErrors.Detail(exception));
            return ErrorResults.Problem(context, failure);
        }

        StreamingHeaders.Apply(context.Response);
        return TypedResults.ServerSentEvents(ForwardAsync(events, warnings, cancel, slot, context, shutdown, logger));
    }

    private static async IAsyncEnumerable<SseItem<string>> ForwardAsync(
        IAsyncEnumerator<TransformEvent> events, IReadOnlyList<string>? warnings, CancellationTokenSource cancel, IDisposable slot, HttpContext context, StreamShutdown shutdown, ILogger logger,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using (slot)
        using (cancel)
        await using (events)
        {
            foreach (string warning in warnings ?? [])
            {
                yield return new SseItem<string>(JsonSerializer.Serialize(new RunProgressEvent("warning") { Message = warning }, WebApiJsonContext.Default.RunProgressEvent), "progress");
            }

            while (true)
            {
                TransformEvent current = events.Current;
                if (current is RunCompleted completed)
                {
                    yield return new SseItem<string>(JsonSerializer.Serialize(RunResponse.From(completed.Result, warnings), WebApiJsonContext.Default.RunResponse), "result");
                }
                else if (RunProgressEvent.From(current) is { } progress)
                {
                    yield return new SseItem<string>(JsonSerializer.Serialize(progress, WebApiJsonContext.Default.RunProgressEvent), "progress");
                }

                ServiceError? failure = null;
                bool more;
                try
                {
                    more = await events.MoveNextAsync();
                }
                catch (Exception exception)
                {
                    if (context.RequestAborted.IsCancellationRequested || cancellationToken.IsCancellationRequested)
                    {
                        yield break;
                    }

                    failure = RunErrors.Map(exception, Cause(context, shutdown));
                    RunLog.Failed(logger, failure.Status, failure.Code, exception.GetType().Name, RunErrors.Detail(exception));
                    more = false;
                }

                if (failure is not null)
                {
                    yield return new SseItem<string>(ErrorResults.ToOpenAIJson(failure), "error");
                }

                if (!more)
                {
                    yield break;
                }
            }
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<RunSummary>>, ProblemHttpResult>> ListAsync(HttpContext context, IRunHistory history, int? limit, CancellationToken cancellationToken)
    {
        int count = limit ?? 20;
        if (count is < 1 or > 100)
        {
            return ErrorResults.Problem(context, ServiceError.BadRequest("invalid_limit", "'limit' must be from 1 to 100.", "limit"));
        }

        try
        {
            IReadOnlyList<RunRecord> runs = await history.ListRecentAsync(count, cancellationToken);
            return TypedResults.Ok<IReadOnlyList<RunSummary>>([.. runs.Select(RunSummary.From)]);
        }
        catch (HistoryException)
        {
            return ErrorResults.Problem(context, new ServiceError(503, "history_unavailable", "The run history cannot be read.", RetryAfter: TimeSpan.FromSeconds(5)));
        }
    }

    private static async Task<Results<Ok<RunDetails>, ProblemHttpResult>> GetAsync(HttpContext context, IRunHistory history, long id, CancellationToken cancellationToken)
    {
        RunRecord? run = await history.GetAsync(id, cancellationToken);
        return run is null
            ? ErrorResults.Problem(context, new ServiceError(404, "run_not_found", $"There is no run {id} in the history."))
            : TypedResults.Ok(new RunDetails(RunSummary.From(run), run.Diff, run.Files, [.. run.Checks.Select(RunCheck.From)]));
    }

    private static GenerationCancellation Cause(HttpContext context, StreamShutdown shutdown) =>
        context.RequestAborted.IsCancellationRequested ? GenerationCancellation.Client
        : shutdown.Stopping.IsCancellationRequested ? GenerationCancellation.Shutdown
        : GenerationCancellation.None;
}
