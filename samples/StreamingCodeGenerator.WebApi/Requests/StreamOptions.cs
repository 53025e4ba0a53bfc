using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>OpenAI's <c>stream_options</c>.</summary>
internal sealed record StreamOptions
{
    /// <summary>Gets whether to add a last chunk with the usage.</summary>
    [JsonPropertyName("include_usage")]
    public bool? IncludeUsage { get; init; }
}
