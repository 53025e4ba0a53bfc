namespace StreamingCodeGeneration;

/// <summary>
/// Context windows (prompt plus output, in tokens) of OpenAI's published models, for the pre-flight check. Names
/// match exactly or by the longest prefix followed by <c>-</c> or <c>:</c> (<c>gpt-4o-2024-08-06</c> is <c>gpt-4o</c>;
/// neither <c>gpt-4o</c> nor <c>gpt-4.7</c> is <c>gpt-4</c>).
/// Unknown names (Azure deployments, local models) have no known window.
/// </summary>
internal static class ModelContextWindows
{
    private static readonly (string Prefix, int Tokens)[] Windows =
    [
        ("gpt-5", 400_000),
        ("gpt-4.1", 1_047_576),
        ("gpt-4.5", 128_000),
        ("gpt-4o", 128_000),
        ("chatgpt-4o", 128_000),
        ("gpt-4-turbo", 128_000),
        ("gpt-4-1106", 128_000),
        ("gpt-4-0125", 128_000),
        ("gpt-4-32k", 32_768),
        ("gpt-4", 8_192),
        ("gpt-3.5-turbo", 16_385),
        ("gpt-35-turbo", 16_385),
        ("o1-mini", 128_000),
        ("o1-preview", 128_000),
        ("o1", 200_000),
        ("o3", 200_000),
        ("o4-mini", 200_000),
    ];

    public static int? Find(string model)
    {
        string name = model.StartsWith("ft:", StringComparison.Ordinal) ? model[3..] : model;
        int? best = null;
        int bestLength = -1;
        foreach ((string prefix, int tokens) in Windows)
        {
            bool matches = name.Length == prefix.Length
                ? string.Equals(name, prefix, StringComparison.OrdinalIgnoreCase)
                : name.Length > prefix.Length
                    && name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                    && name[prefix.Length] is '-' or ':';
            if (matches && prefix.Length > bestLength)
            {
                best = tokens;
                bestLength = prefix.Length;
            }
        }

        return best;
    }
}
