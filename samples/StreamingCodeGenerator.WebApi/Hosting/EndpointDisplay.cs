namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// An endpoint as the service shows it, in <c>/health</c> and in its log: scheme, host, port and path. Never the
/// user-info (<c>https://user:password@host/v1</c>, which <c>OPENAI_BASE_URL</c> may hold) nor the query or fragment
/// (a key can ride in <c>?api_key=…</c>).
/// </summary>
internal static class EndpointDisplay
{
    public static string Describe(Uri endpoint) =>
        endpoint.IsAbsoluteUri
            ? endpoint.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped)
            : "(a relative address)";

    /// <summary>Describes a configured address that may not be a URL at all; what is not a URL is not shown.</summary>
    public static string Describe(string? configured) =>
        Uri.TryCreate(configured?.Trim(), UriKind.Absolute, out Uri? uri) ? Describe(uri) : "(an address that is not an absolute URL)";
}
