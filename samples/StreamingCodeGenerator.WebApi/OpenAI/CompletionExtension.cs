namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>The <c>x_scg</c> extension of a whole answer: its code blocks and the stats.</summary>
internal sealed record CompletionExtension(IReadOnlyList<CodeBlockInfo> CodeBlocks, string Explanation, GenerationStats Stats);
