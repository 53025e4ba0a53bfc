using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>One server-sent event of a streamed answer, as OpenAI's <c>chat.completion.chunk</c>, plus the <c>x_scg</c> extension.</summary>
internal sealed record ChatCompletionChunk(
    string Id,
    long Created,
    string Model,
    IReadOnlyList<ChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CompletionUsage? Usage = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChunkExtension? XScg = null)
{
    [JsonPropertyOrder(-1)]
    public string Object => "chat.completion.chunk";

    public string? SystemFingerprint => null;
}
