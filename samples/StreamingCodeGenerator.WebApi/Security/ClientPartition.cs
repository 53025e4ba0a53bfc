namespace StreamingCodeGeneration.WebApi.Security;

/// <summary>
/// Who a request counts against for rate limiting: its API key's name when keys are in use, else its remote address
/// (behind a proxy, set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true so that is the client's, not the proxy's).
/// </summary>
internal static class ClientPartition
{
    public static string For(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } key }
            ? "key:" + key
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
