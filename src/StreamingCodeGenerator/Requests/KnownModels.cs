namespace StreamingCodeGeneration;

/// <summary>What the library knows of a model family: its token encoding, its context window, whether it reasons silently.</summary>
/// <param name="Name">The family's name (<c>gpt-4o</c>).</param>
/// <param name="Encoding">Its tiktoken encoding, when this library implements it.</param>
/// <param name="ContextWindow">Prompt plus output, in tokens, when published.</param>
/// <param name="IsReasoning">Whether it reasons before answering and may send nothing for minutes.</param>
/// <param name="PointReleases">Whether <c>Name.N</c> belongs to the family (<c>gpt-5.1</c> is <c>gpt-5</c>).</param>
internal sealed record ModelInfo(string Name, TokenizerEncoding? Encoding, int? ContextWindow, bool IsReasoning, bool PointReleases = false);

/// <summary>
/// The one table of model names: encodings (tiktoken's <c>model.py</c>), context windows (for the pre-flight check) and
/// reasoning models (for the first-chunk timeout). A name matches an entry exactly, or when it starts with the entry's
/// name followed by <c>-</c> or <c>:</c> (or <c>.</c> for families with point releases); the longest match wins. So
/// <c>gpt-4o-2024-08-06</c> is <c>gpt-4o</c>, neither <c>gpt-4o</c> nor <c>gpt-4.7</c> is <c>gpt-4</c>, and
/// <c>gpt-5.1</c> is <c>gpt-5</c>. A fine-tune (<c>ft:</c>) and a router's vendor prefix (<c>openai/</c>) are looked
/// through. Unknown names (Azure deployments, local models) are unknown.
/// </summary>
internal static class KnownModels
{
    private const TokenizerEncoding O200k = TokenizerEncoding.O200kBase;
    private const TokenizerEncoding Cl100k = TokenizerEncoding.Cl100kBase;

    private static readonly ModelInfo[] Models =
    [
        // reasoning
        new("o1", O200k, 200_000, IsReasoning: true),
        new("o1-mini", O200k, 128_000, IsReasoning: true),
        new("o1-preview", O200k, 128_000, IsReasoning: true),
        new("o3", O200k, 200_000, IsReasoning: true),
        new("o4-mini", O200k, 200_000, IsReasoning: true),
        new("gpt-5", O200k, 400_000, IsReasoning: true, PointReleases: true),
        new("gpt-5-chat", O200k, 400_000, IsReasoning: false),
        new("gpt-oss", O200k, null, IsReasoning: true), // o200k_harmony encodes ordinary text exactly as o200k_base

        // chat
        new("gpt-4.1", O200k, 1_047_576, IsReasoning: false),
        new("gpt-4.5", O200k, 128_000, IsReasoning: false),
        new("gpt-4o", O200k, 128_000, IsReasoning: false),
        new("chatgpt-4o", O200k, 128_000, IsReasoning: false),
        new("gpt-4-turbo", Cl100k, 128_000, IsReasoning: false),
        new("gpt-4-1106", Cl100k, 128_000, IsReasoning: false),
        new("gpt-4-0125", Cl100k, 128_000, IsReasoning: false),
        new("gpt-4-32k", Cl100k, 32_768, IsReasoning: false),
        new("gpt-4", Cl100k, 8_192, IsReasoning: false),
        new("gpt-3.5-turbo", Cl100k, 16_385, IsReasoning: false),
        new("gpt-3.5", Cl100k, null, IsReasoning: false),
        new("gpt-35-turbo", Cl100k, 16_385, IsReasoning: false),

        // base and embeddings
        new("davinci-002", Cl100k, null, IsReasoning: false),
        new("babbage-002", Cl100k, null, IsReasoning: false),
        new("text-embedding-ada-002", Cl100k, null, IsReasoning: false),
        new("text-embedding-3-small", Cl100k, null, IsReasoning: false),
        new("text-embedding-3-large", Cl100k, null, IsReasoning: false),

        // open reasoning models (encodings this library does not implement)
        new("deepseek-reasoner", null, null, IsReasoning: true),
        new("deepseek-r1", null, null, IsReasoning: true),
        new("qwq", null, null, IsReasoning: true),
        new("magistral", null, null, IsReasoning: true),
    ];

    /// <summary>The entry for <paramref name="model"/>, or <see langword="null"/> when the name is not known.</summary>
    public static ModelInfo? Find(string model)
    {
        ReadOnlySpan<char> name = model.AsSpan();
        name = name[(name.LastIndexOf('/') + 1)..];
        if (name.StartsWith("ft:", StringComparison.Ordinal))
        {
            name = name[3..];
        }

        ModelInfo? best = null;
        foreach (ModelInfo entry in Models)
        {
            if (Matches(name, entry) && (best is null || entry.Name.Length > best.Name.Length))
            {
                best = entry;
            }
        }

        return best;
    }

    /// <summary>Whether <paramref name="model"/> reasons silently before answering (known family, or a name that says so).</summary>
    public static bool IsReasoning(string model) =>
        Find(model)?.IsReasoning
        ?? (model.Contains("-r1", StringComparison.OrdinalIgnoreCase) || model.Contains("thinking", StringComparison.OrdinalIgnoreCase));

    private static bool Matches(ReadOnlySpan<char> name, ModelInfo entry)
    {
        if (!name.StartsWith(entry.Name, StringComparison.Ordinal))
        {
            return false;
        }

        if (name.Length == entry.Name.Length)
        {
            return true;
        }

        char next = name[entry.Name.Length];
        return next is '-' or ':' || (next == '.' && entry.PointReleases);
    }
}
