using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary>
/// Documents an endpoint's JSON request body in the OpenAPI document. Not <c>.Accepts&lt;T&gt;()</c>: that metadata
/// also makes routing answer a wrong content type with a bare 415, before the endpoint can explain it.
/// </summary>
internal static class JsonBodyDocumentation
{
    public static RouteHandlerBuilder DocumentJsonBody<T>(this RouteHandlerBuilder builder, string description) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            OpenApiSchema schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });

    /// <summary>Adds a second 200 media type (OpenAPI keeps one <c>Produces</c> per status): a stream beside a JSON body, or a page beside JSON.</summary>
    public static RouteHandlerBuilder DocumentAlternative<T>(this RouteHandlerBuilder builder, string contentType) =>
        builder.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            OpenApiSchema schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken);
            if (operation.Responses?.TryGetValue("200", out IOpenApiResponse? ok) == true && ok is OpenApiResponse response)
            {
                response.Content ??= new Dictionary<string, OpenApiMediaType>();
                response.Content[contentType] = new OpenApiMediaType { Schema = schema };
            }
        });
}
