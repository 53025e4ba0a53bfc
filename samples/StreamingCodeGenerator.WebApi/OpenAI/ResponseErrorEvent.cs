namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>
/// The <c>error</c> event of a stream that fails after it started, followed by <c>response.failed</c>. The error is
/// nested (<c>{"type": "error", "sequence_number": N, "error": {"message", "type", "param", "code"}}</c>), as OpenAI's
/// API sends it.
/// </summary>
internal sealed record ResponseErrorEvent(int SequenceNumber, OpenAIError Error)
{
    [System.Text.Json.Serialization.JsonPropertyOrder(-1)]
    public string Type => "error";
}
