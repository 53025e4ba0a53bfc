using System.ComponentModel;
using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>One model as OpenAI's <c>GET /v1/models</c> lists it.</summary>
internal sealed record ModelInfo(
    [property: Description("The name to send as model.")] string Id,
    [property: Description("Unix time in seconds: when this service started offering the model.")] long Created,
    [property: Description("Always system.")] string OwnedBy)
{
    [JsonPropertyOrder(-1)]
    public string Object => "model";
}
