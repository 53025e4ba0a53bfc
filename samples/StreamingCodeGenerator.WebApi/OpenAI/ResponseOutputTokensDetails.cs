namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary><c>usage.output_tokens_details</c>: how many output tokens a reasoning model spent reasoning.</summary>
internal sealed record ResponseOutputTokensDetails(int ReasoningTokens);
