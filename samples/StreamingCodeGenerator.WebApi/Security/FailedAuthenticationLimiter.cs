using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.WebApi.Diagnostics;
using StreamingCodeGeneration.WebApi.Hosting;

namespace StreamingCodeGeneration.WebApi.Security;

/// <summary>
/// Counts wrong API keys per client address in a fixed window (from the address's first wrong key) and says when an
/// address has used them up. Authentication runs before the request rate limit, so without this a client could try
/// keys as fast as it can send them. With Redis configured (<see cref="RedisCounters"/>) the count is kept there, once for
/// all instances, on Redis's clock; otherwise, and while Redis cannot be reached, in this instance's memory, where windows
/// that have ended are swept out once per window length and at most <see cref="MaxTrackedClients"/> addresses are held.
/// </summary>
internal sealed class FailedAuthenticationLimiter
{
    /// <summary>The most addresses held at once; past it (after a sweep), a new address is not counted.</summary>
    public const int MaxTrackedClients = 100_000;

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly FailedAuthenticationSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<FailedAuthenticationLimiter> _logger;
    private readonly RedisCounters _shared;
    private long _nextSweep;

    public FailedAuthenticationLimiter(IOptions<WebApiOptions> options, TimeProvider time, ILogger<FailedAuthenticationLimiter> logger, RedisCounters shared)
    {
        _settings = options.Value.FailedAuthentication;
        _time = time;
        _logger = logger;
        _shared = shared;
        _nextSweep = time.GetTimestamp();
    }

    public bool IsEnabled => _settings.PermitLimit > 0;

    /// <summary>The key an address is counted under: an IPv4 address, or an IPv6 address's /64 network.</summary>
    public static string ClientOf(HttpContext context)
    {
        IPAddress? address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }

    /// <summary>How long until <paramref name="client"/>'s window ends if it has used up its wrong keys; else <see langword="null"/>.</summary>
    public async ValueTask<TimeSpan?> BlockedForAsync(string client)
    {
        if (!IsEnabled)
        {
            return null;
        }

        if (_shared.IsEnabled && await _shared.ReadAsync(SharedKey(client)) is { } shared)
        {
            return shared.Count >= _settings.PermitLimit ? shared.Remaining : null;
        }

        return IsBlocked(client, out TimeSpan retryAfter) ? retryAfter : null;
    }

    /// <summary>Counts one wrong key from <paramref name="client"/>.</summary>
    public async ValueTask RecordFailureAsync(string client)
    {
        if (!IsEnabled)
        {
            return;
        }

        if (_shared.IsEnabled && await _shared.IncrementAsync(SharedKey(client), _settings.Window) is { } shared)
        {
            // INCR hands each count out once across all instances: exactly one of them logs the limit.
            if (shared.Count == _settings.PermitLimit)
            {
                Log.FailedAuthenticationLimitReached(_logger, client, _settings.PermitLimit, _settings.Window.TotalSeconds);
            }

            return;
        }

        RecordFailure(client);
    }

    private static string SharedKey(string client) => "auth:" + client;

    private bool IsBlocked(string client, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (!_counters.TryGetValue(client, out Counter? counter))
        {
            return false;
        }

        lock (counter)
        {
            TimeSpan elapsed = _time.GetElapsedTime(counter.WindowStart);
            if (counter.Failures < _settings.PermitLimit || elapsed >= _settings.Window)
            {
                return false;
            }

            retryAfter = _settings.Window - elapsed;
            return true;
        }
    }

    private void RecordFailure(string client)
    {
        long now = _time.GetTimestamp();
        Sweep(now);
        if (!_counters.TryGetValue(client, out Counter? counter))
        {
            if (_counters.Count >= MaxTrackedClients)
            {
                return;
            }

            counter = _counters.GetOrAdd(client, _ => new Counter(now));
        }

        bool limitReached;
        lock (counter)
        {
            if (_time.GetElapsedTime(counter.WindowStart, now) >= _settings.Window)
            {
                counter.WindowStart = now;
                counter.Failures = 0;
            }

            counter.Failures++;
            limitReached = counter.Failures == _settings.PermitLimit;
        }

        if (limitReached)
        {
            Log.FailedAuthenticationLimitReached(_logger, client, _settings.PermitLimit, _settings.Window.TotalSeconds);
        }
    }

    private void Sweep(long now)
    {
        long due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + (long)(_settings.Window.TotalSeconds * _time.TimestampFrequency), due) != due)
        {
            return;
        }

        foreach (KeyValuePair<string, Counter> entry in _counters)
        {
            bool ended;
            lock (entry.Value)
            {
                ended = _time.GetElapsedTime(entry.Value.WindowStart, now) >= _settings.Window;
            }

            if (ended)
            {
                _counters.TryRemove(entry);
            }
        }
    }

    private sealed class Counter(long windowStart)
    {
        public long WindowStart { get; set; } = windowStart;

        public int Failures { get; set; }
    }
}
