using System.ComponentModel;
using System.Text.Json.Serialization;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>
/// OpenAI's <c>response</c> object (the Responses API): the whole answer of <c>POST /v1/responses</c>, and what its
/// <c>response.created</c> / <c>response.completed</c> events carry. Fields this service has no use for have the values
/// OpenAI gives them when unused (no tools, no reasoning, nothing stored).
/// </summary>
internal sealed record ResponseObject(
    string Id,
    [property: Description("Unix time in seconds.")] long CreatedAt,
    [property: Description("in_progress, completed, incomplete or failed.")] string Status,
    ResponseError? Error,
    IncompleteDetails? IncompleteDetails,
    string? Instructions,
    int? MaxOutputTokens,
    string Model,
    [property: Description("One assistant message with one output_text part (none yet in response.created).")] IReadOnlyList<ResponseMessage> Output,
    double? Temperature,
    double? TopP,
    ResponseUsage? Usage,
    string? User,
    IReadOnlyDictionary<string, string> Metadata)
{
    [JsonPropertyOrder(-1)]
    public string Object => "response";

    public bool Background => false;

    public int? MaxToolCalls => null;

    public bool ParallelToolCalls => true;

    public string? PreviousResponseId => null;

    public string? PromptCacheKey => null;

    public ResponseReasoning Reasoning => ResponseReasoning.None;

    public string? SafetyIdentifier => null;

    public string ServiceTier => "default";

    [Description("Always false: this service keeps no responses.")]
    public bool Store => false;

    public ResponseText Text => ResponseText.Plain;

    public string ToolChoice => "auto";

    public IReadOnlyList<string> Tools => [];

    public int TopLogprobs => 0;

    public string Truncation => "disabled";
}
