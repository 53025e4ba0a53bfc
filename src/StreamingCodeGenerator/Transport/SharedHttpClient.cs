using System.Net.Http;

namespace StreamingCodeGeneration;

/// <summary>
/// The HTTP client every generator built from options shares (one connection pool per process, as
/// <c>IHttpClientFactory</c> would give). Redirects are not followed: a POST that an endpoint redirects is a
/// misconfigured endpoint, which the caller should hear about (with the <c>Location</c>) rather than have the request
/// silently turned into a GET or its credentials dropped. There is no client timeout: this library's first-chunk,
/// idle and total timeouts own time.
/// </summary>
internal static class SharedHttpClient
{
    public static HttpClient Instance { get; } = new(
        new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        },
        disposeHandler: false)
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };
}
