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
}
