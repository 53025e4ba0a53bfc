namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// How many wrong API keys a client address may send before its keys are refused for a while
/// (<c>WebApi:FailedAuthentication</c>). Applies when <see cref="WebApiOptions.ApiKeys"/> is set, whether or not the
/// request rate limit is on; counted per instance, or once for all instances when <see cref="WebApiOptions.Redis"/> has a
/// connection string. The address is the connection's, or the one a trusted proxy
/// forwarded when <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c>: an <c>X-Forwarded-For</c> header alone is never
/// believed. IPv6 clients count per /64 network, the block one host is usually given.
/// </summary>
public sealed class FailedAuthenticationSettings
{
    /// <summary>
    /// Gets or sets how many wrong keys an address may send per <see cref="Window"/>; the next request that presents a key
    /// (right or wrong: it is not checked) is answered 429 with <c>Retry-After</c> until the window ends. 0 turns the limit off.
    /// </summary>
    /// <value>The default is 10.</value>
    public int PermitLimit { get; set; } = 10;

    /// <summary>Gets or sets the window, which starts at an address's first wrong key.</summary>
    /// <value>The default is 5 minutes.</value>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}
