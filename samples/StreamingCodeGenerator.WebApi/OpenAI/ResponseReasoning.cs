namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>A response's <c>reasoning</c> settings, as OpenAI writes them for a model that was not asked to reason.</summary>
internal sealed record ResponseReasoning(string? Effort, string? Summary)
{
    public static ResponseReasoning None { get; } = new(null, null);
}
