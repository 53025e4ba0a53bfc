namespace StreamingCodeGeneration;

/// <summary>
/// Maps OpenAI model names to encodings with the rules of tiktoken's <c>model.py</c>: an exact name first, then
/// the first matching prefix in declaration order. Prefixes end in a dash where tiktoken's do, so <c>gpt-4-</c>
/// never captures <c>gpt-4o</c> or <c>gpt-4.1</c>. Models whose encodings this library does not implement
/// (p50k/r50k legacy models) are unknown.
/// </summary>
internal static class TokenizerModelMap
{
    private static readonly Dictionary<string, TokenizerEncoding> s_exact = new(StringComparer.Ordinal)
    {
        // reasoning
        ["o1"] = TokenizerEncoding.O200kBase,
        ["o3"] = TokenizerEncoding.O200kBase,
        ["o4-mini"] = TokenizerEncoding.O200kBase,

        // chat
        ["gpt-5"] = TokenizerEncoding.O200kBase,
        ["gpt-4.1"] = TokenizerEncoding.O200kBase,
        ["gpt-4o"] = TokenizerEncoding.O200kBase,
        ["gpt-4"] = TokenizerEncoding.Cl100kBase,
        ["gpt-3.5-turbo"] = TokenizerEncoding.Cl100kBase,
        ["gpt-3.5"] = TokenizerEncoding.Cl100kBase,
        ["gpt-35-turbo"] = TokenizerEncoding.Cl100kBase,

        // base
        ["davinci-002"] = TokenizerEncoding.Cl100kBase,
        ["babbage-002"] = TokenizerEncoding.Cl100kBase,

        // embeddings
        ["text-embedding-ada-002"] = TokenizerEncoding.Cl100kBase,
        ["text-embedding-3-small"] = TokenizerEncoding.Cl100kBase,
        ["text-embedding-3-large"] = TokenizerEncoding.Cl100kBase,
    };

    // Order matters: the first match wins, exactly as tiktoken iterates MODEL_PREFIX_TO_ENCODING.
    private static readonly (string Prefix, TokenizerEncoding Encoding)[] s_prefixes =
    [
        ("o1-", TokenizerEncoding.O200kBase),
        ("o3-", TokenizerEncoding.O200kBase),
        ("o4-mini-", TokenizerEncoding.O200kBase),

        // chat; "gpt-5" has no dash so that gpt-5-mini, gpt-5.1 and later point releases match.
        ("gpt-5", TokenizerEncoding.O200kBase),
        ("gpt-4.5-", TokenizerEncoding.O200kBase),
        ("gpt-4.1-", TokenizerEncoding.O200kBase),
        ("chatgpt-4o-", TokenizerEncoding.O200kBase),
        ("gpt-4o-", TokenizerEncoding.O200kBase),
        ("gpt-4-", TokenizerEncoding.Cl100kBase),
        ("gpt-3.5-turbo-", TokenizerEncoding.Cl100kBase),
        ("gpt-35-turbo-", TokenizerEncoding.Cl100kBase),

        // gpt-oss uses o200k_harmony, which encodes ordinary text exactly as o200k_base (it only adds special tokens).
        ("gpt-oss-", TokenizerEncoding.O200kBase),

        // fine-tuned; ft:gpt-4o must come before ft:gpt-4.
        ("ft:gpt-4o", TokenizerEncoding.O200kBase),
        ("ft:gpt-4", TokenizerEncoding.Cl100kBase),
        ("ft:gpt-3.5-turbo", TokenizerEncoding.Cl100kBase),
        ("ft:davinci-002", TokenizerEncoding.Cl100kBase),
        ("ft:babbage-002", TokenizerEncoding.Cl100kBase),
    ];

    /// <summary>Looks up the encoding of <paramref name="model"/>.</summary>
    /// <returns><see langword="true"/> when the model is known; otherwise <see langword="false"/> and <see cref="TokenizerEncoding.O200kBase"/>.</returns>
    public static bool TryGetEncoding(string model, out TokenizerEncoding encoding)
    {
        if (s_exact.TryGetValue(model, out encoding))
        {
            return true;
        }

        foreach ((string prefix, TokenizerEncoding prefixEncoding) in s_prefixes)
        {
            if (model.StartsWith(prefix, StringComparison.Ordinal))
            {
                encoding = prefixEncoding;
                return true;
            }
        }

        encoding = TokenizerEncoding.O200kBase;
        return false;
    }
}
