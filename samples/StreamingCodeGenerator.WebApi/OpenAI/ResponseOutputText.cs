using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>An <c>output_text</c> content part: the answer's text, without annotations or log probabilities.</summary>
internal sealed record ResponseOutputText([property: JsonPropertyOrder(1)] string Text)
{
    [JsonPropertyOrder(-1)]
    public string Type => "output_text";

    public IReadOnlyList<string> Annotations => [];

    public IReadOnlyList<string> Logprobs => [];
}
