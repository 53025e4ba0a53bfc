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
}
