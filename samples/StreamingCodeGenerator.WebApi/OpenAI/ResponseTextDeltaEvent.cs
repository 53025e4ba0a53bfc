namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary><c>response.output_text.delta</c>: the next piece of the answer's text.</summary>
internal sealed record ResponseTextDeltaEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Delta)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Type => "response.output_text.delta";

    public IReadOnlyList<string> Logprobs => [];
}
