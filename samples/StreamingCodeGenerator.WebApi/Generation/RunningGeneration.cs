using System.Runtime.CompilerServices;
using StreamingCodeGeneration.WebApi.Diagnostics;

namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>
/// A generation whose first chunk has arrived. <see cref="MoveNextAsync"/> yields that chunk first, then the rest;
/// a failure from it is described by <see cref="Describe"/> for an in-band ending. Disposing closes the upstream
/// connection if it is still open.
/// </summary>
internal sealed class RunningGeneration : IAsyncDisposable
{
    private readonly IAsyncEnumerator<Chunk> _enumerator;
    private readonly CancellationSources _cancellation;
    private readonly ILogger _logger;
    private bool _firstPending;

    public RunningGeneration(CodeGenerationRequest request, CodeGenerationStream stream, IAsyncEnumerator<Chunk> enumerator, bool hasFirst, CancellationSources cancellation, ILogger logger)
    {
        Request = request;
        Stream = stream;
        _enumerator = enumerator;
        _cancellation = cancellation;
        _logger = logger;
        _firstPending = hasFirst;
        IsEmpty = !hasFirst;
    }

    public CodeGenerationRequest Request { get; }

    public CodeGenerationStream Stream { get; }

    /// <summary>Gets whether the answer ended before any text (for example a length limit of zero tokens' worth).</summary>
    public bool IsEmpty { get; }

    public Chunk Current => _enumerator.Current;

    public GenerationCancellation Cancellation => _cancellation.Cause();

    // Pooled: awaited once per chunk, mostly while the next chunk is still on its way.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> MoveNextAsync()
    {
        if (_firstPending)
        {
            _firstPending = false;
            return true;
        }

        return !IsEmpty && await _enumerator.MoveNextAsync();
    }

    /// <summary>Describes a failure after the response started, and logs it.</summary>
    public ServiceError Describe(Exception exception)
    {
        GenerationCancellation cause = Cancellation;
        ServiceError error = UpstreamErrors.Map(exception, cause, TimeSpan.Zero);
        if (cause == GenerationCancellation.Deadline)
        {
            // The deadline was disarmed with the first chunk; it can only have fired in the instant before.
            error = new ServiceError(504, "upstream_timeout", "The model did not start answering in time.");
        }

        if (cause == GenerationCancellation.Client)
        {
            Log.ClientDisconnected(_logger, "mid-stream");
        }
        else if (error.Code == "internal_error")
        {
            Log.UnexpectedFailure(_logger, exception);
        }
        else
        {
            Log.FailedMidStream(_logger, error.Code, Stream.Stats.CharacterCount, exception.GetType().Name, exception.Message);
        }

        return error;
    }

    public async ValueTask DisposeAsync()
    {
        await _enumerator.DisposeAsync();
        _cancellation.Dispose();
    }
}
