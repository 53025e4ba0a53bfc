using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace StreamingCodeGeneration.WebApi.Page;

/// <summary>
/// The page at <c>GET /</c>: one self-contained HTML file (inline style and script, nothing fetched from elsewhere),
/// served with a Content-Security-Policy that allows exactly its own inline script and style by hash — so even text
/// that reached the page as HTML could not run a script. Its icon (<c>/favicon.svg</c>) is the only other file.
/// </summary>
internal sealed partial class PageContent
{
    private const string PageResource = "StreamingCodeGeneration.WebApi.Page.index.html";
    private const string IconResource = "StreamingCodeGeneration.WebApi.Page.favicon.svg";

    public PageContent()
    {
        Html = Encoding.UTF8.GetString(Read(PageResource));
        Icon = Read(IconResource);
        string scripts = string.Join(' ', ScriptBlock().Matches(Html).Select(m => Hash(m.Groups[1].Value)));
        string styles = string.Join(' ', StyleBlock().Matches(Html).Select(m => Hash(m.Groups[1].Value)));
        ContentSecurityPolicy =
            $"default-src 'none'; script-src {scripts}; style-src {styles}; connect-src 'self'; img-src 'self'; " +
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    public string Html { get; }

    /// <summary>Gets the page's icon, an SVG with no script or style (served with <c>default-src 'none'</c>).</summary>
    public byte[] Icon { get; }

    public string ContentSecurityPolicy { get; }

    public void ApplyHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-cache";
    }

    private static byte[] Read(string resource)
    {
        using Stream stream = typeof(PageContent).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource {resource} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static string Hash(string content) => "'sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content))) + "'";

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();
}
