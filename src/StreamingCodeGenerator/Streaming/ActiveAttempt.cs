using System.ClientModel.Primitives;
using System.Net.ServerSentEvents;

namespace StreamingCodeGeneration;

/// <summary>
/// One open response: its HTTP response, the SSE enumerator over its body, and the timer that enforces the
/// first-chunk and idle timeouts. Disposing it closes the connection.
/// </summary>
internal sealed class ActiveAttempt : IAsyncDisposable
{
    private readonly CancellationTokenSource _phase;
    private readonly CancellationTokenSource _linked;
    private PipelineResponse? _response;
    private IAsyncEnumerator<SseItem<ChatStreamEvent>>? _events;

    public ActiveAttempt(TimeProvider timeProvider, CancellationToken runToken, bool isContinuation)
    {
        _phase = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(runToken, _phase.Token);
        IsContinuation = isContinuation;
    }

    /// <summary>Cancelled by the caller, the total timeout, or this attempt's first-chunk/idle timer.</summary>
    public CancellationToken Token => _linked.Token;

    public bool PhaseTimedOut => _phase.IsCancellationRequested;

    public bool IsContinuation { get; }

    /// <summary>The first content event, read while the attempt was still retryable, not yet processed.</summary>
    public ChatStreamEvent? BufferedEvent { get; set; }

    /// <summary>The body has been read to its end (or to <c>[DONE]</c>).</summary>
    public bool EndOfBody { get; set; }

    /// <summary>The attempt saw the <c>[DONE]</c> sentinel.</summary>
    public bool SawDone { get; set; }

    /// <summary>The attempt saw a finish reason.</summary>
    public bool SawFinishReason { get; set; }

    /// <summary>This attempt received content or reasoning (so its phase timer is an idle timer).</summary>
    public bool HasContent { get; set; }

    /// <summary>Restarts the phase timer; a timeout that is not enforced stops it (an earlier phase's timer must not fire later).</summary>
    public void ArmTimer(TimeSpan timeout) =>
        _phase.CancelAfter(StreamingCodeGeneratorOptions.IsEnforced(timeout) ? timeout : Timeout.InfiniteTimeSpan);

    public void Open(PipelineResponse response, IAsyncEnumerator<SseItem<ChatStreamEvent>> events)
    {
        _response = response;
        _events = events;
    }

    /// <summary>Reads the next event, or returns <see langword="null"/> at the end of the body.</summary>
    public async ValueTask<ChatStreamEvent?> ReadAsync()
    {
        if (BufferedEvent is { } buffered)
        {
            BufferedEvent = null;
            return buffered;
        }

        if (EndOfBody || _events is null)
        {
            return null;
        }

        if (await _events.MoveNextAsync().ConfigureAwait(false))
        {
            return _events.Current.Data;
        }

        EndOfBody = true;
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_events is not null)
        {
            try
            {
                await _events.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The enumerator may throw on a body already torn down; the response below is what matters.
            }

            _events = null;
        }

        _response?.Dispose();
        _response = null;
        _linked.Dispose();
        _phase.Dispose();
    }
}
