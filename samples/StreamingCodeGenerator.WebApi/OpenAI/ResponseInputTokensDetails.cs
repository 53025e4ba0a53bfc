namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary><c>usage.input_tokens_details</c>: how many input tokens the upstream served from its cache.</summary>
internal sealed record ResponseInputTokensDetails(int CachedTokens);
