namespace StreamingCodeGeneration;

/// <summary>
/// The byte-pair encodings that <see cref="Tokenizer"/> implements, token for token identical to OpenAI's tiktoken.
/// </summary>
public enum TokenizerEncoding
{
    /// <summary>
    /// <c>o200k_base</c>: GPT-4o, GPT-4.1, GPT-4.5, the o1/o3/o4 reasoning models and the GPT-5 family.
    /// </summary>
    O200kBase = 0,

    /// <summary>
    /// <c>cl100k_base</c>: GPT-4, GPT-4 Turbo, GPT-3.5 Turbo, text-embedding-3-small/large and text-embedding-ada-002.
    /// </summary>
    Cl100kBase = 1,
}
