using System.ComponentModel;
using System.Text.Json;
using StreamingCodeGeneration.RepoTransform;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.Hosting;
using StreamingCodeGeneration.WebApi.Requests;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>The body of <c>POST /run</c> and <c>POST /run/stream</c>: the seed's <c>{"repoUrl", "prompt"}</c>.</summary>
internal sealed record RunRequest(
    [property: Description("The git repository to change: an https URL (WebApi:Runs:AllowedRepositorySchemes may add ssh or file).")] string RepoUrl,
    [property: Description("What to change, in words.")] string Prompt)
{
    public const string Example = "{\"repoUrl\": \"https://github.com/owner/repo\", \"prompt\": \"Add type hints to every function\"}";

    /// <summary>Reads and checks a parsed body. Only URLs with an allowed scheme: never a folder on the server.</summary>
    public static (TransformRequest? Request, ServiceError? Error) Parse(JsonElement body, WebApiOptions options)
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

        IList<string> schemes = options.Runs.AllowedRepositorySchemes.Count > 0 ? options.Runs.AllowedRepositorySchemes : ["https"];
        if (!Uri.TryCreate(repoUrl.Trim(), UriKind.Absolute, out Uri? uri) || !schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase))
        {
            return (null, ServiceError.BadRequest(
                "invalid_repo_url",
                $"'repoUrl' must be a {string.Join(" or ", schemes)} URL of a git repository; folders on the server are not accepted.",
                "repoUrl"));
        }

        if ((RequestFields.OptionalString(body, "prompt", out string? prompt) ?? RequestFields.CheckPrompt("prompt", prompt, options.MaxPromptCharacters)) is { } promptError)
        {
            return (null, promptError);
        }

        return (new TransformRequest(repoUrl.Trim(), prompt!), null);
    }
}
