using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary>
/// Under <c>/v1</c>, a path no endpoint serves gets OpenAI's 404 (<c>unknown_url</c>), and a known path with another
/// method OpenAI's 405, both as the error object OpenAI's clients read, instead of an empty body. Other paths keep
/// ASP.NET Core's empty 404.
/// </summary>
internal static class UnknownRouteErrors
{
    /// <summary>Paths are repeated in messages up to this length.</summary>
    public const int MaxShownPathLength = 100;

    public static IApplicationBuilder UseOpenAIErrorsForUnknownRoutes(this IApplicationBuilder app) =>
        app.UseStatusCodePages(async pages =>
        {
            HttpContext context = pages.HttpContext;
            if (!ErrorResults.IsOpenAIRoute(context.Request))
            {
                return;
            }

            string request = context.Request.Method + " " + Shown(context.Request.Path.Value ?? "/");
            ServiceError? error = context.Response.StatusCode switch
            {
                StatusCodes.Status404NotFound => new ServiceError(
                    StatusCodes.Status404NotFound,
                    "unknown_url",
                    $"Unknown request URL: {request}. Please check the URL for typos; this service answers POST /v1/chat/completions, POST /v1/responses, GET /v1/models and GET /v1/models/{{model}}."),
                StatusCodes.Status405MethodNotAllowed => new ServiceError(
                    StatusCodes.Status405MethodNotAllowed,
                    "method_not_allowed",
                    $"Invalid method for URL ({request}): use {AllowedMethods(context)}."),
                _ => null,
            };
            if (error is not null)
            {
                await ErrorResults.WriteAsync(context, error);
            }
        });

    private static string AllowedMethods(HttpContext context) =>
        context.Response.Headers.Allow is { Count: > 0 } allow ? string.Join(" or ", allow.ToString().Split(',', StringSplitOptions.TrimEntries)) : "another method";

    private static string Shown(string path) => path.Length <= MaxShownPathLength ? path : path[..MaxShownPathLength] + "…";
}
