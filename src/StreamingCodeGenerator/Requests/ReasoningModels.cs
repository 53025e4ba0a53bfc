namespace StreamingCodeGeneration;

/// <summary>
/// Recognises models that reason before they answer and may send nothing for minutes: OpenAI's o-series and GPT-5
/// (their reasoning is never streamed by the Chat Completions API), and open models that think at length (DeepSeek
/// R1, QwQ, Magistral, gpt-oss).
/// </summary>
internal static class ReasoningModels
{
    private static readonly string[] Prefixes = ["o1", "o3", "o4", "gpt-5", "gpt-oss", "deepseek-reasoner", "deepseek-r1", "qwq", "magistral"];

    public static bool IsReasoningModel(string model)
    {
        ReadOnlySpan<char> name = model.AsSpan();
        int slash = name.LastIndexOf('/');
        name = name[(slash + 1)..];
        if (name.StartsWith("ft:", StringComparison.Ordinal))
        {
            name = name[3..];
        }

        foreach (string prefix in Prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
                && (name.Length == prefix.Length || name[prefix.Length] is '-' or ':' or '.'))
            {
                return !name.Contains("-chat", StringComparison.OrdinalIgnoreCase);
            }
        }

        return name.Contains("-r1", StringComparison.OrdinalIgnoreCase) || name.Contains("thinking", StringComparison.OrdinalIgnoreCase);
    }
}
