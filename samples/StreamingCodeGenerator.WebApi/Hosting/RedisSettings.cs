namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// Where several instances keep their shared counts (<c>WebApi:Redis</c>): with a connection string, the per-client rate
/// limit (<see cref="RateLimitSettings"/>) and the wrong-key limit (<see cref="FailedAuthenticationSettings"/>) are counted
/// in Redis, once for all instances, on Redis's clock. While Redis cannot be reached each instance counts on its own
/// again (and logs that once), so the service stays up and every client stays limited, at worst once per instance.
/// </summary>
public sealed class RedisSettings
{
    /// <summary>
    /// Gets or sets a StackExchange.Redis configuration string, such as <c>redis.internal:6379,password=…,ssl=true</c>
    /// (<c>defaultDatabase=N</c> keeps two deployments that share one server apart). It is never logged.
    /// </summary>
    /// <value>The default is <see langword="null"/>: limits are counted in each instance's memory.</value>
    public string? ConnectionString { get; set; }
}
