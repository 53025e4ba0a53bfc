namespace StreamingCodeGeneration;

/// <summary>Which kind of service <see cref="StreamingCodeGeneratorOptions.Endpoint"/> is.</summary>
public enum ModelProvider
{
    /// <summary>
    /// OpenAI, or any OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp): <c>POST {Endpoint}/chat/completions</c>
    /// with the key as a bearer token. The default.
    /// </summary>
    OpenAI = 0,

    /// <summary>
    /// Azure OpenAI: the key goes in the <c>api-key</c> header (or an Entra ID bearer token is sent), and
    /// <see cref="StreamingCodeGeneratorOptions.Model"/> is the deployment name. An endpoint ending in <c>/openai/v1/</c>
    /// uses the v1 API; a bare resource endpoint (<c>https://RESOURCE.openai.azure.com/</c>) uses the classic
    /// <c>/openai/deployments/{deployment}/chat/completions?api-version=…</c> form.
    /// </summary>
    AzureOpenAI = 1,

    /// <summary>
    /// OpenAI's Responses API: <c>POST {Endpoint}/responses</c> with the key as a bearer token (<c>OPENAI_API_KEY</c>,
    /// <c>OPENAI_BASE_URL</c>), <c>store: false</c>. The API of OpenAI's code models of the GPT-5 generation (the
    /// <c>*-codex</c> family); it streams reasoning summaries. It has no stop sequences.
    /// </summary>
    OpenAIResponses = 2,

    /// <summary>
    /// Anthropic's Messages API (Claude): <c>POST {Endpoint}/messages</c> with the key in the <c>x-api-key</c> header
    /// (<c>ANTHROPIC_API_KEY</c>, <c>ANTHROPIC_BASE_URL</c>) and <c>anthropic-version: 2023-06-01</c>. Its 529
    /// "overloaded" status is retried; extended thinking streams as reasoning when
    /// <see cref="StreamingCodeGeneratorOptions.ThinkingBudgetTokens"/> is set.
    /// </summary>
    Anthropic = 3,
}
