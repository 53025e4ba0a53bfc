namespace StreamingCodeGeneration.Testing;

/// <summary>The delta field a server streams a model's reasoning in.</summary>
public enum ReasoningField
{
    /// <summary><c>reasoning_content</c>, as DeepSeek, vLLM and Qwen send it (with <c>"content":null</c> beside it).</summary>
    ReasoningContent,

    /// <summary><c>reasoning</c>, as OpenRouter and Ollama send it (with <c>"content":""</c> beside it).</summary>
    Reasoning,
}
