using Microsoft.Extensions.Options;
using StreamingCodeGeneration.WebApi.Diagnostics;
using StreamingCodeGeneration.WebApi.Hosting;

namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>
/// Starts a generation and waits for its first chunk before anything is written, so the response's status can still
/// say what went wrong: 429, 502, 503, 504, 400. The generation is cancelled at once when the client disconnects, when the
/// first chunk misses the service's deadline, and when shutdown's grace period is over.
/// </summary>
internal sealed class GenerationStarter(
    StreamingCodeGenerator generator,
    IOptions<WebApiOptions> options,
    StreamShutdown shutdown,
    TimeProvider time,
    ILogger<GenerationStarter> logger)
{
    public StreamingCodeGenerator Generator => generator;

    /// <summary>Starts <paramref name="request"/> and returns it running, with its first chunk in hand, or the failure to answer with.</summary>
    /// <param name="request">What to generate.</param>
    /// <param name="requestAborted">Fires when the client disconnects.</param>
    /// <param name="outputLimitField">The request field that set the output limit, if one did (<c>max_tokens</c>), for an error about it.</param>
    public async Task<GenerationStart> StartAsync(CodeGenerationRequest request, CancellationToken requestAborted, string? outputLimitField = null)
    {
        TimeSpan deadline = options.Value.FirstChunkDeadline;
        var deadlineSource = new CancellationTokenSource(deadline, time);
        var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, shutdown.Stopping, deadlineSource.Token);
        var cancellation = new CancellationSources(requestAborted, shutdown.Stopping, deadlineSource, linked);
        IAsyncEnumerator<Chunk>? enumerator = null;
        try
        {
            CodeGenerationStream stream = generator.GenerateAsync(request, linked.Token);
            enumerator = stream.GetAsyncEnumerator(CancellationToken.None);
            bool any = await enumerator.MoveNextAsync();

            // The first chunk is here: from now on the deadline no longer applies, and failures travel in-band.
            deadlineSource.CancelAfter(Timeout.InfiniteTimeSpan);
            var running = new RunningGeneration(request, stream, enumerator, any, cancellation, logger);
            Log.FirstChunk(logger, stream.Stats.TimeToFirstChunk?.TotalMilliseconds ?? 0, stream.Stats.Attempts);
            return new GenerationStart(running, null);
        }
        catch (Exception exception)
        {
            GenerationCancellation cause = cancellation.Cause();
            if (enumerator is not null)
            {
                await enumerator.DisposeAsync();
            }

            cancellation.Dispose();
            ServiceError error = UpstreamErrors.Map(exception, cause, deadline, outputLimitField);
            if (cause == GenerationCancellation.Client)
            {
                Log.ClientDisconnected(logger, "before the first chunk");
            }
            else if (error.Status >= 500 && error.Code == "internal_error")
            {
                Log.UnexpectedFailure(logger, exception);
            }
            else
            {
                Log.FailedBeforeFirstChunk(logger, error.Status, error.Code, exception.GetType().Name, exception.Message);
            }

            return new GenerationStart(null, error);
        }
    }
}
