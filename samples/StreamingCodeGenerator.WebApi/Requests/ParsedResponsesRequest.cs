namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// A checked <c>POST /v1/responses</c> request: what to generate, whether to stream, and what the response object
/// repeats of the request (OpenAI echoes <c>instructions</c>, <c>max_output_tokens</c>, <c>temperature</c>,
/// <c>top_p</c>, <c>user</c> and <c>metadata</c>).
/// </summary>
internal sealed record ParsedResponsesRequest(
    CodeGenerationRequest Request,
    bool Stream,
    string? Instructions,
    double? Temperature,
    double? TopP,
    string? User,
    IReadOnlyDictionary<string, string> Metadata);
