using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>OpenAI's list of models, <c>{"object": "list", "data": [...]}</c>.</summary>
internal sealed record ModelList(IReadOnlyList<ModelInfo> Data)
{
    [JsonPropertyOrder(-1)]
    public string Object => "list";
}
