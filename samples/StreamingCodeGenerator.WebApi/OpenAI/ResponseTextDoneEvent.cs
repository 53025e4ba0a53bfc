namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary><c>response.output_text.done</c>: the answer's whole text.</summary>
internal sealed record ResponseTextDoneEvent(int SequenceNumber, string ItemId, int OutputIndex, int ContentIndex, string Text)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Type => "response.output_text.done";

    public IReadOnlyList<string> Logprobs => [];
}
