namespace StreamingCodeGeneration;

/// <summary>
/// The one place that keeps credentials out of everything a server's words can reach: exception messages, log lines,
/// telemetry and callbacks. Every string that comes from the server (error fields, headers, offending lines, ids,
/// model names, finish reasons) passes through <see cref="Redact"/> when it enters the library; the answer text the
/// caller receives is never altered.
/// </summary>
/// <remarks>
/// Removed: the configured key anywhere in the text; any fragment of it of at least <see cref="MinFragmentLength"/>
/// characters; partly masked echoes of it (<c>sk-proj-abc****xyz1</c>: a run of <c>*</c> whose unmasked ends are a
/// prefix or suffix of the key); any <c>sk-…</c> key, configured or not; the token after <c>Bearer</c>; and JSON Web
/// Tokens (<c>eyJ….….…</c>, the shape of Entra ID bearer tokens).
/// </remarks>
internal sealed class SecretRedactor
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>The shortest piece of the configured key that counts as a leak of it.</summary>
    public const int MinFragmentLength = 8;

    private const int MinMaskedEndLength = 4;

    private readonly string? _key;

    public SecretRedactor(string? apiKey)
    {
        _key = string.IsNullOrEmpty(apiKey) ? null : apiKey;
    }

    /// <summary>A redactor that knows no key (it still removes <c>sk-</c> keys, bearer tokens and JWTs).</summary>
    public static SecretRedactor Default { get; } = new(null);

    /// <summary>Returns <paramref name="text"/> with every secret replaced by <see cref="Mask"/>.</summary>
    public string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        if (_key is not null)
        {
            text = text.Replace(_key, Mask, StringComparison.Ordinal);
        }

        System.Text.StringBuilder? result = null;
        int copied = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (!IsTokenChar(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && IsTokenChar(text[i]))
            {
                i++;
            }

            ReadOnlySpan<char> token = text.AsSpan(start, i - start).TrimEnd('.');
            if (IsSecret(token, FollowsBearer(text, start)))
            {
                result ??= new System.Text.StringBuilder(text.Length);
                result.Append(text, copied, start - copied).Append(Mask);
                copied = start + token.Length;
            }
        }

        if (result is null)
        {
            return text;
        }

        return result.Append(text, copied, text.Length - copied).ToString();
    }

    private bool IsSecret(ReadOnlySpan<char> token, bool afterBearer)
    {
        if (token.Length < 3 || token.SequenceEqual(Mask))
        {
            return false;
        }

        if (token.StartsWith("sk-", StringComparison.Ordinal) && token.Length >= 6)
        {
            return true;
        }

        if (afterBearer && token.Length >= MinFragmentLength)
        {
            return true;
        }

        if (token.StartsWith("eyJ", StringComparison.Ordinal) && token.Length >= 20 && token.Count('.') >= 2)
        {
            return true;
        }

        if (_key is null)
        {
            return false;
        }

        int firstStar = token.IndexOf("***", StringComparison.Ordinal);
        if (firstStar >= 0)
        {
            ReadOnlySpan<char> prefix = token[..firstStar];
            ReadOnlySpan<char> suffix = token[(token.LastIndexOf('*') + 1)..];
            return (prefix.Length >= MinMaskedEndLength && _key.AsSpan().StartsWith(prefix, StringComparison.Ordinal))
                || (suffix.Length >= MinMaskedEndLength && _key.AsSpan().EndsWith(suffix, StringComparison.Ordinal));
        }

        return token.Length >= Math.Min(MinFragmentLength, _key.Length) && _key.AsSpan().Contains(token, StringComparison.Ordinal);
    }

    private static bool FollowsBearer(string text, int tokenStart)
    {
        int end = tokenStart;
        while (end > 0 && text[end - 1] == ' ')
        {
            end--;
        }

        return end >= 6 && end < tokenStart && text.AsSpan(end - 6, 6).Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            && (end == 6 || !char.IsLetterOrDigit(text[end - 7]));
    }

    /// <summary>
    /// Characters a key, a JSON Web Token or a masked echo is made of. <c>=</c> and <c>/</c> separate tokens, so a key
    /// glued to a query parameter or a path (<c>api_key=sk-…</c>, <c>/sk-…/</c>) is found, and only it is masked.
    /// </summary>
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*';
}
