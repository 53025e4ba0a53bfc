using System.Text.RegularExpressions;

namespace StreamingCodeGeneration;

/// <summary>Keeps API keys out of exception messages and logs, even when a server echoes one back.</summary>
internal static partial class SecretRedactor
{
    public const string Mask = "***";

    public static string? Redact(string? text, string? apiKey)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (!string.IsNullOrEmpty(apiKey) && apiKey.Length >= 4)
        {
            text = text.Replace(apiKey, Mask, StringComparison.Ordinal);
        }

        // Servers echo keys back partially masked ("Incorrect API key provided: sk-proj-abc***xyz"): drop all of it.
        return KeyPattern().Replace(text, "sk-" + Mask);
    }

    [GeneratedRegex(@"\bsk-[A-Za-z0-9_\-\*\.]{3,}", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
