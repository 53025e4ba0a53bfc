namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>The format of a response's text: <c>text</c>.</summary>
internal sealed record ResponseTextFormat(string Type);
