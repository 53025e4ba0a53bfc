using Microsoft.AspNetCore.Http.HttpResults;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.OpenAI;
using StreamingCodeGeneration.WebApi.Requests;

namespace StreamingCodeGeneration.WebApi.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: what OpenAI clients ask before they generate.</summary>
internal static class ModelsEndpoints
{
    public static IEndpointRouteBuilder MapModelsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/models", (ModelCatalog catalog) => TypedResults.Json(catalog.Models, WebApiJsonContext.Default.ModelList))
            .WithName("ListModels")
            .WithTags("OpenAI-compatible")
            .WithSummary("The models a client may name: the configured model and WebApi:AllowedModels")
            .WithDescription("OpenAI's list shape: {\"object\": \"list\", \"data\": [{\"id\", \"object\": \"model\", \"created\", \"owned_by\"}]}. The configured model comes first.")
            .Produces<ModelList>(StatusCodes.Status200OK)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized);

        // A catch-all, so a name with a slash (org/model) is one id.
        endpoints.MapGet("/v1/models/{**id}", Retrieve)
            .WithName("RetrieveModel")
            .WithTags("OpenAI-compatible")
            .WithSummary("One model of the list, or 404 model_not_found")
            .Produces<ModelInfo>(StatusCodes.Status200OK)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status401Unauthorized)
            .Produces<OpenAIErrorResponse>(StatusCodes.Status404NotFound);
        return endpoints;
    }

    private static Results<JsonHttpResult<ModelInfo>, JsonHttpResult<OpenAIErrorResponse>> Retrieve(HttpContext context, string id, ModelCatalog catalog)
    {
        string name = Uri.UnescapeDataString(id);
        return catalog.Find(name) is { } model
            ? TypedResults.Json(model, WebApiJsonContext.Default.ModelInfo)
            : ErrorResults.OpenAI(context, new ServiceError(
                StatusCodes.Status404NotFound,
                "model_not_found",
                $"The model '{RequestFields.Shown(name)}' does not exist here. GET /v1/models lists the models this service offers.",
                "model"));
    }
}
