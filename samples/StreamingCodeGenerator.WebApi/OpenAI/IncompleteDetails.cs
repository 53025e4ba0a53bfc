namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>Why a response is incomplete: <c>max_output_tokens</c> or <c>content_filter</c>.</summary>
internal sealed record IncompleteDetails(string Reason);
