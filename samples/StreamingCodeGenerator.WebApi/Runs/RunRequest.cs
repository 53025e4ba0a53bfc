using System.ComponentModel;
using System.Text.Json;
using StreamingCodeGeneration.RepoTransform;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.Hosting;
using StreamingCodeGeneration.WebApi.Requests;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>
/// The body of <c>POST /run</c> and <c>POST /run/stream</c>: <c>{"repo_url", "prompt"}</c>, snake_case like every other
/// field the service reads and writes. <c>repoUrl</c>, the earlier Python service's name, is still accepted as a
/// deprecated alias (its clients keep working, and are told in <c>warnings</c>); both at once are refused.
/// </summary>
internal sealed record RunRequest(
    [property: Description("The git repository to change: an https URL of a public host (WebApi:Runs:AllowedRepositorySchemes may add ssh or file, WebApi:Runs:AllowedRepositoryHosts private hosts). Credentials in it (https://user:token@host/…) are used for the clone only, never stored or logged. 'repoUrl' is a deprecated alias.")] string RepoUrl,
    [property: Description("What to change, in words.")] string Prompt)
{
    /// <summary>The field's name.</summary>
    public const string RepoUrlField = "repo_url";

    /// <summary>The earlier Python service's name for it, accepted and deprecated.</summary>
    public const string DeprecatedRepoUrlField = "repoUrl";

    /// <summary>What a caller that used the deprecated name is told, in the answer's <c>warnings</c>.</summary>
    public const string DeprecationWarning = "'repoUrl' is deprecated: send the repository as 'repo_url', the name in the API's documentation.";

    public const string Example = "{\"repo_url\": \"https://github.com/owner/repo\", \"prompt\": \"Add type hints to every function\"}";

    /// <summary>
    /// Reads and checks a parsed body. The repository is read by the transformer's own parser, with its access settings,
    /// so what is checked here is exactly what the run opens: never a folder on the server unless <c>file</c> is allowed.
    /// </summary>
    public static (TransformRequest? Request, bool Deprecated, ServiceError? Error) Parse(JsonElement body, WebApiOptions options, RepositoryTransformer transformer)
    {
        bool canonical = body.TryGetProperty(RepoUrlField, out _);
        bool deprecated = body.TryGetProperty(DeprecatedRepoUrlField, out _);
        if (canonical && deprecated)
        {
            return (null, false, ServiceError.BadRequest(
                "ambiguous_repo_url", $"Give the repository once, as '{RepoUrlField}' ('{DeprecatedRepoUrlField}' is its deprecated alias).", RepoUrlField));
        }

        if (RequestFields.OptionalString(body, deprecated ? DeprecatedRepoUrlField : RepoUrlField, out string? repoUrl) is { } repoTypeError)
        {
            return (null, false, repoTypeError);
        }

        if (string.IsNullOrWhiteSpace(repoUrl))
        {
            return (null, false, ServiceError.BadRequest("missing_repo_url", $"'{RepoUrlField}' is required: the https URL of a git repository.", RepoUrlField));
        }

        try
        {
            transformer.CheckRepository(repoUrl);
        }
        catch (RepositoryUrlException refused)
        {
            return (null, false, RunErrors.InvalidRepository(refused));
        }
        catch (RepositoryException missing)
        {
            return (null, false, new ServiceError(422, "repository_unavailable", missing.Message, RepoUrlField));
        }

        if ((RequestFields.OptionalString(body, "prompt", out string? prompt) ?? RequestFields.CheckPrompt("prompt", prompt, options.MaxPromptCharacters)) is { } promptError)
        {
            return (null, false, promptError);
        }

        return (new TransformRequest(repoUrl, prompt!), deprecated, null);
    }
}
