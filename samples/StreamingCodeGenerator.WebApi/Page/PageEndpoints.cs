using Microsoft.AspNetCore.Http.HttpResults;

namespace StreamingCodeGeneration.WebApi.Page;

/// <summary>The page's icon: <c>GET /favicon.svg</c> (linked from the page) and <c>GET /favicon.ico</c> (what browsers ask for on their own).</summary>
internal static class PageEndpoints
{
    public static IEndpointRouteBuilder MapPageIcon(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/favicon.svg", Icon).ExcludeFromDescription();
        endpoints.MapGet("/favicon.ico", Icon).ExcludeFromDescription();
        return endpoints;
    }

    private static FileContentHttpResult Icon(HttpContext context, PageContent page)
    {
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "public, max-age=86400";
        return TypedResults.File(page.Icon, "image/svg+xml");
    }
}
