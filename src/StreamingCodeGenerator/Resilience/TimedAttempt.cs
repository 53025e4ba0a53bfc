using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration;

/// <summary>
/// One attempt of any source, read under the first-chunk and idle timeouts: the timer starts when the attempt does,
/// becomes an idle timer at the first activity (answer text or reasoning), and a timeout surfaces as
/// <see cref="StreamTimeoutException"/>. The attempt's start and every update it reads are reported to the
/// generation's sink.
/// </summary>
/// <remarks>
/// The idle timer is lazy: an update only notes the time; when the timer falls due it checks how long the stream has
/// really been quiet and, if not long enough, waits out the rest. So a healthy stream costs one timestamp per update
/// instead of a timer change per update.
/// </remarks>
internal sealed class TimedAttempt : IAsyncEnumerator<ChatUpdate>
{
    private readonly CancellationToken _runToken;
    private readonly CancellationTokenSource _timeouts = new();
    private readonly CancellationTokenSource _linked;
    private readonly IAsyncEnumerator<ChatUpdate> _inner;
    private readonly GenerationSink _sink;
    private readonly GenerationClock _clock;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _firstChunkTimeout;
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer _timer;
    private ChatUpdate _current;
    private long _lastActivity;
    private volatile bool _active;
    private volatile bool _timedOut;
    private volatile bool _disposed;

    /// <param name="source">The source to run the attempt on.</param>
    /// <param name="attempt">What the attempt asks.</param>
    /// <param name="sink">Hears of the attempt's start and of every update.</param>
    /// <param name="clock">The generation's clock: timers and delays, and each update's arrival time.</param>
    /// <param name="firstChunkTimeout">The longest wait for the first activity.</param>
    /// <param name="idleTimeout">The longest silence after it.</param>
    /// <param name="runToken">The generation's token (the caller's and the total timeout).</param>
    public TimedAttempt(IChatUpdateSource source, ChatAttempt attempt, GenerationSink sink, GenerationClock clock, TimeSpan firstChunkTimeout, TimeSpan idleTimeout, CancellationToken runToken)
    {
        _runToken = runToken;
        _sink = sink;
        _clock = clock;
        _timeProvider = clock.TimeProvider;
        _firstChunkTimeout = firstChunkTimeout;
        _idleTimeout = idleTimeout;
        sink.AttemptStarting(attempt.IsContinuation);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(runToken, _timeouts.Token);
        _timer = _timeProvider.CreateTimer(static state => ((TimedAttempt)state!).OnTimer(), this, Due(firstChunkTimeout), Timeout.InfiniteTimeSpan);
        _inner = source.StreamAsync(attempt, _linked.Token).GetAsyncEnumerator(_linked.Token);
    }

    public ChatUpdate Current => _current;

    public ValueTask<bool> MoveNextAsync()
    {
        ValueTask<bool> read;
        try
        {
            read = _inner.MoveNextAsync();
        }
        catch (Exception ex)
        {
            throw Translate(ex);
        }

        if (!read.IsCompletedSuccessfully)
        {
            return AwaitAsync(read);
        }

        if (read.Result)
        {
            Observe();
        }

        return read;
    }

    // Pooled: a slow stream suspends here once per chunk, and an unpooled box per suspension is garbage per chunk.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AwaitAsync(ValueTask<bool> read)
    {
        bool more;
        try
        {
            more = await read.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            throw Translate(ex);
        }

        if (more)
        {
            Observe();
        }

        return more;
    }

    private void Observe()
    {
        _current = _inner.Current;
        if (_current.IsActivity)
        {
            // One clock read per sign of life: it resets the idle clock and dates the update for the chunks it becomes.
            long now = _timeProvider.GetTimestamp();
            _current.Arrival = _clock.ElapsedAt(now);
            Volatile.Write(ref _lastActivity, now);
            if (!_active)
            {
                // The first sign of life: from now on the timer measures silence.
                _active = true;
                _timer.Change(Due(_idleTimeout), Timeout.InfiniteTimeSpan);
            }
        }

        _sink.Update(_current);
    }

    private void OnTimer()
    {
        // A timer callback already running when the attempt is disposed must not touch what disposal released.
        if (_disposed)
        {
            return;
        }

        if (_active)
        {
            TimeSpan quiet = _timeProvider.GetElapsedTime(Volatile.Read(ref _lastActivity));
            if (quiet < _idleTimeout)
            {
                _timer.Change(_idleTimeout - quiet, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        _timedOut = true;
        try
        {
            _timeouts.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check above and here: the attempt is over, so nothing is left to cancel.
        }
    }

    /// <summary>A failure while this attempt's timer had fired is that timeout (unless the run itself was cancelled).</summary>
    private Exception Translate(Exception exception)
    {
        if (!_timedOut || _runToken.IsCancellationRequested)
        {
            return exception;
        }

        return _active
            ? new StreamTimeoutException(StreamTimeoutKind.Idle, _idleTimeout, exception)
            : new StreamTimeoutException(StreamTimeoutKind.FirstChunk, _firstChunkTimeout, exception);
    }

    private static TimeSpan Due(TimeSpan timeout) =>
        StreamingCodeGeneratorOptions.IsEnforced(timeout) ? timeout : Timeout.InfiniteTimeSpan;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        _timer.Dispose();
        try
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Disposing tears the connection down; a failure doing so changes nothing for the caller.
        }

        _linked.Dispose();
        _timeouts.Dispose();
    }
}
