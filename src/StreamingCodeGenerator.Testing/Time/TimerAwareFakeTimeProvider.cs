using Microsoft.Extensions.Time.Testing;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// Microsoft.Extensions.TimeProvider.Testing's <see cref="FakeTimeProvider"/> (time moves only when the test calls
/// <see cref="FakeTimeProvider.Advance(TimeSpan)"/>, which fires every timer that falls due, in order) plus the one thing
/// it lacks for streaming tests: waiting, without sleeping, until the code under test arms a timer. A test awaits
/// <see cref="WaitForTimerAsync(TimeSpan)"/> — a timer armed with a given due time (a first-chunk timeout, a backoff
/// delay) — then advances past it. Pass it to <c>new StreamingCodeGenerator(options, timeProvider: clock)</c> or to
/// <see cref="OpenAITestServerOptions.TimeProvider"/>.
/// </summary>
/// <example>
/// <code>
/// var clock = new TimerAwareFakeTimeProvider();
/// var generator = new StreamingCodeGenerator(server.CreateOptions(), timeProvider: clock);
/// Task run = ConsumeAsync(generator.GenerateAsync("x"));
/// await clock.WaitForTimerAsync(TimeSpan.FromSeconds(60));   // the first-chunk timer is armed
/// clock.Advance(TimeSpan.FromSeconds(60));                    // and now it fires
/// </code>
/// </example>
public sealed class TimerAwareFakeTimeProvider : FakeTimeProvider
{
    /// <summary>How long a wait for a timer may take in real time before it fails, so a broken test fails instead of hanging.</summary>
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    private readonly object _gate = new();
    private readonly List<TimeSpan> _armed = [];
    private readonly List<WatchedTimer> _pending = [];
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Signal)> _waiters = [];

    /// <summary>Creates a clock that starts where <see cref="FakeTimeProvider()"/> does (2000-01-01 00:00 UTC).</summary>
    public TimerAwareFakeTimeProvider()
    {
    }

    /// <summary>Creates a clock that starts at <paramref name="startDateTime"/>.</summary>
    /// <param name="startDateTime">The time <see cref="FakeTimeProvider.GetUtcNow"/> reports until the clock is advanced.</param>
    public TimerAwareFakeTimeProvider(DateTimeOffset startDateTime)
        : base(startDateTime)
    {
    }

    /// <summary>Gets every due time a timer was armed with, in order (a changed timer counts again).</summary>
    public IReadOnlyList<TimeSpan> ArmedDueTimes
    {
        get
        {
            lock (_gate)
            {
                return [.. _armed];
            }
        }
    }

    /// <summary>Creates a <see cref="FakeTimeProvider"/> timer whose arming is recorded and signalled to waiters.</summary>
    /// <param name="callback">What the timer calls, on the thread that advances the clock.</param>
    /// <param name="state">The callback's argument.</param>
    /// <param name="dueTime">When it first fires; <see cref="Timeout.InfiniteTimeSpan"/> for not yet.</param>
    /// <param name="period">The interval after that; <see cref="Timeout.InfiniteTimeSpan"/> or zero for once.</param>
    /// <returns>The timer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is <see langword="null"/>.</exception>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new WatchedTimer(this, callback, state);
        timer.Inner = base.CreateTimer(static s => ((WatchedTimer)s!).Fire(), timer, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>
    /// Completes when a timer is armed with exactly <paramref name="dueTime"/> (including one armed earlier and still
    /// pending): the way to wait for code under test to reach a delay without sleeping.
    /// </summary>
    /// <param name="dueTime">The due time to wait for.</param>
    /// <returns>The due time; the task fails with <see cref="TimeoutException"/> after 30 real seconds, so a broken test fails instead of hanging.</returns>
    public Task<TimeSpan> WaitForTimerAsync(TimeSpan dueTime) => WaitForTimerAsync(d => d == dueTime);

    /// <summary>Completes when a timer is armed whose due time matches <paramref name="match"/> (including one still pending).</summary>
    /// <param name="match">Which due times to wait for.</param>
    /// <returns>The matching due time; fails with <see cref="TimeoutException"/> after 30 real seconds.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="match"/> is <see langword="null"/>.</exception>
    public Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        lock (_gate)
        {
            foreach (WatchedTimer timer in _pending)
            {
                if (match(timer.DueTime))
                {
                    return Task.FromResult(timer.DueTime);
                }
            }

            var signal = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, signal));
            return signal.Task.WaitAsync(WaitLimit, TimeProvider.System);
        }
    }

    /// <summary>Arms <paramref name="timer"/>: records it first, then arms the fake timer, then wakes the waiters (so a waiter that advances the clock at once finds it armed).</summary>
    private void Arm(WatchedTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        List<TaskCompletionSource<TimeSpan>> toSignal = [];
        lock (_gate)
        {
            _pending.Remove(timer);
            timer.Periodic = period != Timeout.InfiniteTimeSpan && period > TimeSpan.Zero;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                timer.DueTime = dueTime;
                _pending.Add(timer);
                _armed.Add(dueTime);
                for (int i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Match(dueTime))
                    {
                        toSignal.Add(_waiters[i].Signal);
                        _waiters.RemoveAt(i);
                    }
                }
            }
        }

        timer.Inner!.Change(dueTime, period);
        foreach (TaskCompletionSource<TimeSpan> signal in toSignal)
        {
            signal.TrySetResult(dueTime);
        }
    }

    /// <summary>A one-shot timer that fired, or any disposed timer, is no longer pending.</summary>
    private void Forget(WatchedTimer timer)
    {
        lock (_gate)
        {
            _pending.Remove(timer);
        }
    }

    /// <summary>The fake timer, seen through its arming.</summary>
    private sealed class WatchedTimer(TimerAwareFakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public ITimer? Inner { get; set; }

        public TimeSpan DueTime { get; set; }

        public bool Periodic { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Arm(this, dueTime, period);
            return true;
        }

        public void Fire()
        {
            if (!Periodic)
            {
                owner.Forget(this);
            }

            callback(state);
        }

        public void Dispose()
        {
            owner.Forget(this);
            Inner?.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
