namespace StreamingCodeGeneration.Testing;

/// <summary>
/// A fake clock for tests of time-dependent code (timeouts, backoff, pacing, progress throttling): time moves only when
/// the test calls <see cref="Advance"/>, which fires every timer that falls due, in order. Instead of sleeping, a test
/// awaits <see cref="WaitForTimerAsync(TimeSpan)"/> — a timer armed with a given due time — then advances past it. Pass it
/// to <c>new StreamingCodeGenerator(options, timeProvider: clock)</c> or to <see cref="OpenAITestServerOptions.TimeProvider"/>.
/// </summary>
/// <example>
/// <code>
/// var clock = new ManualTimeProvider();
/// var generator = new StreamingCodeGenerator(server.CreateOptions(), timeProvider: clock);
/// Task run = ConsumeAsync(generator.GenerateAsync("x"));
/// await clock.WaitForTimerAsync(TimeSpan.FromSeconds(60));   // the first-chunk timer is armed
/// clock.Advance(TimeSpan.FromSeconds(60));                    // and now it fires
/// </code>
/// </example>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Signal)> _waiters = [];
    private readonly List<TimeSpan> _armed = [];
    private DateTimeOffset _now;
    private long _ticks;

    /// <summary>Creates a clock that starts at 2026-01-01 00:00 UTC, with timestamp 0.</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Creates a clock that starts at <paramref name="start"/>, with timestamp 0.</summary>
    /// <param name="start">The wall-clock time <see cref="GetUtcNow"/> reports until the clock is advanced.</param>
    public ManualTimeProvider(DateTimeOffset start)
    {
        _now = start;
    }

    /// <summary>Gets the wall-clock time: the start plus every advance.</summary>
    /// <returns>The current fake time.</returns>
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Gets the frequency of <see cref="GetTimestamp"/>: ticks (100 ns) per second.</summary>
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <summary>Gets the time since the clock was created, in ticks: it moves only with <see cref="Advance"/>.</summary>
    /// <returns>The current fake timestamp.</returns>
    public override long GetTimestamp()
    {
        lock (_gate)
        {
            return _ticks;
        }
    }

    /// <summary>Gets every due time a timer was armed with, in order (a changed timer counts again).</summary>
    public IReadOnlyList<TimeSpan> ArmedDueTimes
    {
        get
        {
            lock (_gate)
            {
                return _armed.ToArray();
            }
        }
    }

    /// <summary>Creates a timer that fires when the clock is advanced past its due time (and then every period, if one is given).</summary>
    /// <param name="callback">What the timer calls, on the thread that calls <see cref="Advance"/>.</param>
    /// <param name="state">The callback's argument.</param>
    /// <param name="dueTime">When it first fires; <see cref="Timeout.InfiniteTimeSpan"/> for not yet.</param>
    /// <param name="period">The interval after that; <see cref="Timeout.InfiniteTimeSpan"/> or zero for once.</param>
    /// <returns>The timer.</returns>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
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
    public Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        lock (_gate)
        {
            foreach (ManualTimer timer in _timers)
            {
                if (timer.DueAt is long due && match(TimeSpan.FromTicks(timer.ArmedFor)))
                {
                    _ = due;
                    return Task.FromResult(TimeSpan.FromTicks(timer.ArmedFor));
                }
            }

            var signal = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, signal));
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Moves time forward, firing every timer that falls due, in order, on this thread.</summary>
    /// <param name="by">How far; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="by"/> is negative.</exception>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        long target;
        lock (_gate)
        {
            target = _ticks + by.Ticks;
        }

        while (true)
        {
            ManualTimer? next = null;
            lock (_gate)
            {
                foreach (ManualTimer timer in _timers)
                {
                    if (timer.DueAt is long due && due <= target && (next is null || due < next.DueAt))
                    {
                        next = timer;
                    }
                }

                if (next is null)
                {
                    _now += TimeSpan.FromTicks(target - _ticks);
                    _ticks = target;
                    return;
                }

                _now += TimeSpan.FromTicks(next.DueAt!.Value - _ticks);
                _ticks = next.DueAt!.Value;
                next.DueAt = null;
                _timers.Remove(next);
                if (next.Period > TimeSpan.Zero)
                {
                    // A periodic timer comes due again one period after this firing.
                    next.DueAt = _ticks + next.Period.Ticks;
                    _timers.Add(next);
                }
            }

            next.Fire();
        }
    }

    private void Arm(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        timer.Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
        List<TaskCompletionSource<TimeSpan>> toSignal = [];
        lock (_gate)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                timer.DueAt = null;
                return;
            }

            timer.DueAt = _ticks + dueTime.Ticks;
            timer.ArmedFor = dueTime.Ticks;
            _timers.Add(timer);
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

        foreach (TaskCompletionSource<TimeSpan> signal in toSignal)
        {
            signal.TrySetResult(dueTime);
        }
    }

    private void Disarm(ManualTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
            timer.DueAt = null;
        }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? DueAt { get; set; }

        public long ArmedFor { get; set; }

        public TimeSpan Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Arm(this, dueTime, period);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Disarm(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
