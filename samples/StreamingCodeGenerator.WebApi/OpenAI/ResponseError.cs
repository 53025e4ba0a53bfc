namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>A failed response's <c>error</c>: a stable code and the service's message.</summary>
internal sealed record ResponseError(string Code, string Message);
