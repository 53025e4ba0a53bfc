using System.ComponentModel;
using System.Text.Json;
using StreamingCodeGeneration.RepoTransform;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.Hosting;
using StreamingCodeGeneration.WebApi.Requests;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>The body of <c>POST /run</c> and <c>POST /run/stream</c>: the seed's <c>{"repoUrl", "prompt"}</c>.</summary>
internal sealed record RunRequest(
    [property: Description("The git repository to change: an https URL of a public host (WebApi:Runs:AllowedRepositorySchemes may add ssh or file, WebApi:Runs:AllowedRepositoryHosts private hosts). Credentials in it (https://user:token@host/…) are used for the clone only, never stored or logged.")] string RepoUrl,
    [property: Description("What to change, in words.")] string Prompt)
{
    public const string Example = "{\"repoUrl\": \"https://github.com/owner/repo\", \"prompt\": \"Add type hints to every function\"}";

    /// <summary>
    /// Reads and checks a parsed body. The repository is read by the transformer's own parser, with its access settings,
    /// so what is checked here is exactly what the run opens: never a folder on the server unless <c>file</c> is allowed.
    /// </summary>
    public static (TransformRequest? Request, ServiceError? Error) Parse(JsonElement body, WebApiOptions options, RepositoryTransformer transformer)
    {
        // The seed's camelCase name, and snake_case for clients that use it.
        string field = body.TryGetProperty("repo_url", out _) && !body.TryGetProperty("repoUrl", out _) ? "repo_url" : "repoUrl";
        if (RequestFields.OptionalString(body, field, out string? repoUrl) is { } repoTypeError)
        {
            return (null, repoTypeError);
        }

        if (string.IsNullOrWhiteSpace(repoUrl))
        {
            return (null, ServiceError.BadRequest("missing_repo_url", "'repoUrl' is required: the https URL of a git repository.", "repoUrl"));
        }

        try
        {
            transformer.CheckRepository(repoUrl);
        }
        catch (RepositoryUrlException refused)
        {
            return (null, RunErrors.InvalidRepository(refused));
        }
        catch (RepositoryException missing)
        {
            return (null, new ServiceError(422, "repository_unavailable", missing.Message, "repoUrl"));
        }

        if ((RequestFields.OptionalString(body, "prompt", out string? prompt) ?? RequestFields.CheckPrompt("prompt", prompt, options.MaxPromptCharacters)) is { } promptError)
        {
            return (null, promptError);
        }

        return (new TransformRequest(repoUrl, prompt!), null);
    }
}
