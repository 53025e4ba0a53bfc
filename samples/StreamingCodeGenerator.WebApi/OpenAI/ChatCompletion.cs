using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>A whole answer (<c>stream: false</c>), as OpenAI's <c>chat.completion</c>, plus the <c>x_scg</c> extension.</summary>
internal sealed record ChatCompletion(string Id, long Created, string Model, IReadOnlyList<CompletionChoice> Choices, CompletionUsage Usage, CompletionExtension XScg)
{
    [JsonPropertyOrder(-1)]
    public string Object => "chat.completion";

    public string? SystemFingerprint => null;
}
