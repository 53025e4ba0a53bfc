using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using StreamingCodeGeneration.WebApi.OpenAI;

namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>
/// Renders a <see cref="ServiceError"/> as the route's error shape: RFC 7807 problem details, or OpenAI's error object
/// on <c>/v1/…</c>. Adds <c>Retry-After</c> for 429 and 503, and <c>WWW-Authenticate</c> for 401.
/// </summary>
internal static class ErrorResults
{
    public static ProblemHttpResult Problem(HttpContext context, ServiceError error)
    {
        ApplyHeaders(context, error);
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Param is not null)
        {
            extensions["param"] = error.Param;
        }

        return TypedResults.Problem(detail: error.Message, statusCode: error.Status, title: error.Title, extensions: extensions);
    }

    public static JsonHttpResult<OpenAIErrorResponse> OpenAI(HttpContext context, ServiceError error)
    {
        ApplyHeaders(context, error);
        return TypedResults.Json(ToOpenAI(error), WebApiJsonContext.Default.OpenAIErrorResponse, statusCode: error.Status);
    }

    public static OpenAIErrorResponse ToOpenAI(ServiceError error) => new(new OpenAIError(error.Message, error.Type, error.Param, error.Code));

    public static string ToOpenAIJson(ServiceError error) => JsonSerializer.Serialize(ToOpenAI(error), WebApiJsonContext.Default.OpenAIErrorResponse);

    /// <summary>Writes the error in the shape the request's route uses (for middleware: rate limiter, authentication).</summary>
    public static Task WriteAsync(HttpContext context, ServiceError error)
    {
        IResult result = IsOpenAIRoute(context.Request) ? OpenAI(context, error) : Problem(context, error);
        return result.ExecuteAsync(context);
    }

    public static bool IsOpenAIRoute(HttpRequest request) => request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    private static void ApplyHeaders(HttpContext context, ServiceError error)
    {
        if (error.RetryAfterHeader is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        if (error.Status == 401)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
    }
}
