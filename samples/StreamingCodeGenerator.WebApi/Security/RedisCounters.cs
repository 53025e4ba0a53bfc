using Microsoft.Extensions.Options;
using StackExchange.Redis;
using StreamingCodeGeneration.WebApi.Diagnostics;
using StreamingCodeGeneration.WebApi.Hosting;

namespace StreamingCodeGeneration.WebApi.Security;

/// <summary>
/// Fixed-window counters in Redis (<c>WebApi:Redis:ConnectionString</c>), shared by every instance that names the same
/// server. A window opens at a key's first count and ends when Redis expires the key, so the instances need no common
/// clock. One MULTI/EXEC transaction per count — <c>SET key 0 PX window NX</c>, <c>INCR key</c>, <c>PTTL key</c> — so no
/// Lua and no second round trip, and a key can never be left without its expiry.
/// </summary>
/// <remarks>
/// Redis is a helper here, not a dependency: commands fail fast while it cannot be reached (no backlog, so no request
/// waits for it), the methods then return <see langword="null"/> and callers count in their own memory. The first failure
/// is logged once, and so is the recovery. The connection string may hold a password; only the endpoints are logged.
/// </remarks>
internal sealed class RedisCounters : IHostedService, IAsyncDisposable
{
    private const string KeyPrefix = "scg:";

    private readonly ConfigurationOptions? _configuration;
    private readonly ILogger<RedisCounters> _logger;
    private volatile ConnectionMultiplexer? _connection;
    private int _unavailable;

    public RedisCounters(IOptions<WebApiOptions> options, ILogger<RedisCounters> logger)
    {
        _logger = logger;
        if (options.Value.Redis.ConnectionString is { } connectionString)
        {
            _configuration = ConfigurationOptions.Parse(connectionString);
            _configuration.AbortOnConnectFail = false;
            _configuration.BacklogPolicy = BacklogPolicy.FailFast;
            _configuration.ClientName ??= "StreamingCodeGenerator.WebApi";
        }
    }

    /// <summary>Gets whether a Redis server is configured (whether or not it can be reached now).</summary>
    public bool IsEnabled => _configuration is not null;

    /// <summary>Whether <paramref name="connectionString"/> parses as a StackExchange.Redis configuration with an endpoint.</summary>
    public static bool IsValidConfiguration(string connectionString)
    {
        try
        {
            return ConfigurationOptions.Parse(connectionString).EndPoints.Count > 0;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Counts <paramref name="amount"/> under <paramref name="key"/> in a window of <paramref name="window"/> that opens with
    /// the first count; returns the window's count including this one, or <see langword="null"/> when Redis cannot be reached.
    /// </summary>
    public async ValueTask<WindowCount?> IncrementAsync(string key, TimeSpan window, long amount = 1)
    {
        if (_connection is not { } connection)
        {
            return null;
        }

        RedisKey redisKey = KeyPrefix + key;
        try
        {
            IDatabase database = connection.GetDatabase();
            ITransaction transaction = database.CreateTransaction();
            Task<bool> opened = transaction.StringSetAsync(redisKey, 0, window, When.NotExists);
            Task<long> count = transaction.StringIncrementAsync(redisKey, amount);
            Task<TimeSpan?> remaining = transaction.KeyTimeToLiveAsync(redisKey);
            await transaction.ExecuteAsync().ConfigureAwait(false);
            await opened.ConfigureAwait(false);
            TimeSpan? left = await remaining.ConfigureAwait(false);
            if (left is null)
            {
                // The key expired between SET and INCR (servers before 7.0 do not freeze time in a transaction): INCR
                // made a key without expiry, which would block its client for good. Give it this window.
                await database.KeyExpireAsync(redisKey, window).ConfigureAwait(false);
                left = window;
            }

            Reachable();
            return new WindowCount(await count.ConfigureAwait(false), left.Value);
        }
        catch (Exception exception) when (IsUnreachable(exception))
        {
            Unreachable(exception);
            return null;
        }
    }

    /// <summary>Reads <paramref name="key"/>'s window without counting; <see langword="null"/> when Redis cannot be reached.</summary>
    public async ValueTask<WindowCount?> ReadAsync(string key)
    {
        if (_connection is not { } connection)
        {
            return null;
        }

        RedisKey redisKey = KeyPrefix + key;
        try
        {
            ITransaction transaction = connection.GetDatabase().CreateTransaction();
            Task<RedisValue> value = transaction.StringGetAsync(redisKey);
            Task<TimeSpan?> remaining = transaction.KeyTimeToLiveAsync(redisKey);
            await transaction.ExecuteAsync().ConfigureAwait(false);
            RedisValue count = await value.ConfigureAwait(false);
            TimeSpan? left = await remaining.ConfigureAwait(false);
            Reachable();
            return count.IsNull || left is null ? new WindowCount(0, TimeSpan.Zero) : new WindowCount((long)count, left.Value);
        }
        catch (Exception exception) when (IsUnreachable(exception))
        {
            Unreachable(exception);
            return null;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_configuration is null)
        {
            return;
        }

        // Does not throw when the server is down (AbortOnConnectFail is off): the connection keeps trying in the background.
        _connection = await ConnectionMultiplexer.ConnectAsync(_configuration).ConfigureAwait(false);
        // The commands go over the interactive connection; the subscription connection can come back before it does.
        _connection.ConnectionRestored += (_, restored) =>
        {
            if (restored.ConnectionType == ConnectionType.Interactive)
            {
                Reachable();
            }
        };
        if (_connection.IsConnected)
        {
            Log.RedisConnected(_logger, Endpoints);
        }
        else
        {
            Unreachable(null);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string Endpoints => string.Join(", ", _configuration!.EndPoints.Select(EndPointCollection.ToString));

    private static bool IsUnreachable(Exception exception) =>
        exception is RedisException or TimeoutException or ObjectDisposedException;

    private void Reachable()
    {
        if (Interlocked.Exchange(ref _unavailable, 0) == 1)
        {
            Log.RedisReachable(_logger, Endpoints);
        }
    }

    private void Unreachable(Exception? exception)
    {
        if (Interlocked.Exchange(ref _unavailable, 1) == 0)
        {
            Log.RedisUnreachable(_logger, Endpoints, exception?.GetType().Name ?? "not connected");
        }
    }
}
