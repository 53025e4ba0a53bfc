namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>OpenAI's error body, <c>{"error": {…}}</c>: the status's answer on <c>/v1/…</c>, and the in-band ending of a stream.</summary>
internal sealed record OpenAIErrorResponse(OpenAIError Error);
