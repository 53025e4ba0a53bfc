namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>A checked chat completion request: what to generate, and how to answer.</summary>
internal sealed record ParsedChatRequest(CodeGenerationRequest Request, bool Stream, bool IncludeUsage);
