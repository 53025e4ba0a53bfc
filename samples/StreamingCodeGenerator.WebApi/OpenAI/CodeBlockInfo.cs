namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>One fenced code block of an answer.</summary>
internal sealed record CodeBlockInfo(int Index, string? Language, string? FileName, string Code, bool Terminated);
