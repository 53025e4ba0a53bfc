using System.Threading.RateLimiting;

namespace StreamingCodeGeneration.WebApi.Security;

/// <summary>
/// One client's fixed-window limit counted in Redis (<see cref="RedisCounters"/>), so every instance sees the same
/// count. The window opens at the client's first request and lasts <c>WebApi:RateLimit:Window</c>, on Redis's clock;
/// a refusal carries the time until it ends. While Redis cannot be reached, an in-memory fixed window (today's limit
/// without Redis) decides, so the client is still limited, at worst once per instance.
/// </summary>
/// <remarks>
/// Redis cannot be asked synchronously: <see cref="RateLimiter.AttemptAcquire(int)"/> does not decide (its lease is not
/// acquired and carries no Retry-After), and ASP.NET Core's rate-limiting middleware then calls
/// <see cref="RateLimiter.AcquireAsync(int, CancellationToken)"/>, which does.
/// </remarks>
internal sealed class RedisFixedWindowRateLimiter : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(isAcquired: true, retryAfter: null);
    private static readonly RateLimitLease Undecided = new Lease(isAcquired: false, retryAfter: null);

    private readonly RedisCounters _counters;
    private readonly string _key;
    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Lazy<FixedWindowRateLimiter> _fallback;
    private long _idleSince;
    private int _active;

    public RedisFixedWindowRateLimiter(RedisCounters counters, string key, int permitLimit, TimeSpan window, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(permitLimit);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _counters = counters;
        _key = key;
        _permitLimit = permitLimit;
        _window = window;
        _time = time;
        _idleSince = time.GetTimestamp();
        _fallback = new Lazy<FixedWindowRateLimiter>(() => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = permitLimit,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Gets how long no request has used this limiter, so the partitioned limiter can drop an idle client's.</summary>
    public override TimeSpan? IdleDuration => Volatile.Read(ref _active) > 0 ? null : _time.GetElapsedTime(Interlocked.Read(ref _idleSince));

    /// <summary>The counts live in Redis, shared with other instances: none are kept here to report.</summary>
    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permitLimit);
        return permitCount == 0 ? Acquired : Undecided;
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _permitLimit);
        if (permitCount == 0)
        {
            return Acquired;
        }

        Interlocked.Increment(ref _active);
        try
        {
            if (await _counters.IncrementAsync(_key, _window, permitCount) is not { } count)
            {
                return _fallback.Value.AttemptAcquire(permitCount);
            }

            return count.Count <= _permitLimit ? Acquired : new Lease(isAcquired: false, count.Remaining);
        }
        finally
        {
            Interlocked.Exchange(ref _idleSince, _time.GetTimestamp());
            Interlocked.Decrement(ref _active);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _fallback.IsValueCreated)
        {
            _fallback.Value.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Lease(bool isAcquired, TimeSpan? retryAfter) : RateLimitLease
    {
        private static readonly string[] RetryAfterOnly = [MetadataName.RetryAfter.Name];

        public override bool IsAcquired => isAcquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : RetryAfterOnly;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
