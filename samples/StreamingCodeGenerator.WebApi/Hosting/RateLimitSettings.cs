namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// The per-client rate limit on the generating endpoints (<c>WebApi:RateLimit</c>): a fixed window per API key, or per
/// remote address without keys. Counted per instance, or once for all instances when <see cref="WebApiOptions.Redis"/>
/// has a connection string (see README, "Several instances").
/// </summary>
public sealed class RateLimitSettings
{
    /// <summary>Gets or sets whether the limit applies.</summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how many requests a client may make per window.</summary>
    /// <value>The default is 60.</value>
    public int PermitLimit { get; set; } = 60;

    /// <summary>Gets or sets the window.</summary>
    /// <value>The default is 1 minute.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
