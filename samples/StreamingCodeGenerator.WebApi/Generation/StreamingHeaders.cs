namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>
/// The headers of a streamed answer: nothing may cache it, a proxy must not compress or otherwise transform it, and a
/// proxy (nginx) must not buffer it.
/// </summary>
internal static class StreamingHeaders
{
    public static void Apply(HttpResponse response)
    {
        response.Headers.CacheControl = "no-cache, no-store, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
