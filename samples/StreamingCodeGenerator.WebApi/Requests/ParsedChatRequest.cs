namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// A checked chat completion request: what to generate, how to answer, and which field set the output limit
/// (<c>max_tokens</c> or <c>max_completion_tokens</c>, for errors about it).
/// </summary>
internal sealed record ParsedChatRequest(CodeGenerationRequest Request, bool Stream, bool IncludeUsage, string? OutputLimitField = null);
