using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Net.Http.Headers;
using StreamingCodeGeneration.WebApi.OpenAI;
using StreamingCodeGeneration.WebApi.Page;

namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary><c>GET /</c> (the page for a browser, the welcome JSON for an API client) and <c>GET /health</c>.</summary>
internal static class RootEndpoints
{
    public const string WelcomeMessage = "Welcome to the Streaming Code Generator API";

    public static IEndpointRouteBuilder MapRootEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", Root)
            .WithName("Root")
            .WithTags("Service")
            .WithSummary("The page (for a browser) or the welcome message (for an API client)")
            .WithDescription("Content-negotiated on Accept: text/html gets the page that streams answers; anything else gets the welcome JSON.")
            .Produces<WelcomeResponse>(StatusCodes.Status200OK, "application/json")
            .DocumentAlternative<string>("text/html");

        endpoints.MapGet("/health", HealthAsync)
            .WithName("Health")
            .WithTags("Service")
            .WithSummary("Liveness, and whether a model is configured")
            .WithDescription("ASP.NET Core health checks: live (the process answers) and upstream (a model is configured, or the offline demo answers: Degraded). 200 unless a check is Unhealthy (503). Never calls the model.")
            .Produces<HealthResponse>(StatusCodes.Status200OK)
            .Produces<HealthResponse>(StatusCodes.Status503ServiceUnavailable);

        endpoints.MapPageIcon();
        return endpoints;
    }

    private static Results<ContentHttpResult, Ok<WelcomeResponse>> Root(HttpContext context, PageContent page)
    {
        context.Response.Headers.Vary = HeaderNames.Accept;
        if (PrefersHtml(context.Request))
        {
            page.ApplyHeaders(context.Response);
            return TypedResults.Content(page.Html, "text/html; charset=utf-8");
        }

        return TypedResults.Ok(new WelcomeResponse(
            WelcomeMessage,
            "/docs",
            "/openapi/v1.json",
            ["POST /generate-code", "POST /v1/chat/completions", "POST /v1/responses", "GET /v1/models", "POST /run", "POST /run/stream", "GET /runs", "GET /runs/{id}", "GET /health"]));
    }

    private static async Task<JsonHttpResult<HealthResponse>> HealthAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        HealthReport report = await health.CheckHealthAsync(cancellationToken);
        var checks = report.Entries.ToDictionary(
            entry => entry.Key,
            entry => new HealthCheckEntry(
                entry.Value.Status.ToString(),
                entry.Value.Description,
                entry.Value.Data.Count == 0 ? null : entry.Value.Data.ToDictionary(d => d.Key, d => d.Value)));
        return TypedResults.Json(
            new HealthResponse(report.Status.ToString(), checks),
            WebApiJsonContext.Default.HealthResponse,
            statusCode: report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    /// <summary>A browser asks for text/html first; an API client sends */* or application/json.</summary>
    private static bool PrefersHtml(HttpRequest request)
    {
        IList<MediaTypeHeaderValue> accept = request.GetTypedHeaders().Accept;
        double html = 0, json = 0;
        foreach (MediaTypeHeaderValue value in accept)
        {
            double quality = value.Quality ?? 1;
            if (value.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
            {
                html = Math.Max(html, quality);
            }
            else if (value.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                json = Math.Max(json, quality);
            }
        }

        return html > 0 && html >= json;
    }
}
