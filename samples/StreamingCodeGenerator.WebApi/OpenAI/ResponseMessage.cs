using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>The answer as an output item of the Responses API: an assistant message with one <c>output_text</c> part.</summary>
internal sealed record ResponseMessage(
    string Id,
    [property: JsonPropertyOrder(1)] string Status,
    [property: JsonPropertyOrder(2)] IReadOnlyList<ResponseOutputText> Content)
{
    [JsonPropertyOrder(0)]
    public string Type => "message";

    [JsonPropertyOrder(3)]
    public string Role => "assistant";
}
