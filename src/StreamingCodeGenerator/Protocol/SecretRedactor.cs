namespace StreamingCodeGeneration;

/// <summary>
/// The one place that keeps credentials out of everything a server's words can reach: exception messages, log lines,
/// telemetry and callbacks. Every string that comes from the server (error fields, headers, offending lines, ids,
/// model names, finish reasons) passes through <see cref="Redact"/> when it enters the library; the answer text the
/// caller receives is never altered.
/// </summary>
/// <remarks>
/// Removed: the configured key anywhere in the text; its encodings — base64 (standard and URL-safe, padded or not) and
/// hex (any case) — together with the whole base64 or hex run they sit in, so the key is found inside a longer encoded
/// blob too (<c>base64("Basic user:KEY")</c>, <c>base64("Bearer KEY")</c>, a hex dump); any fragment of the key of at
/// least <see cref="MinFragmentLength"/> characters; partly masked echoes of it (<c>sk-proj-abc****xyz1</c>: a run of
/// <c>*</c> whose unmasked ends are a prefix or suffix of the key); any <c>sk-…</c> key, configured or not; the token
/// after <c>Bearer</c>; and JSON Web Tokens (<c>eyJ….….…</c>, the shape of Entra ID bearer tokens).
/// <para>
/// The encoded forms are computed once, in the constructor: in base64 the key's bytes can start at any of three
/// positions of a 3-byte group, so there are three encodings, each cut to the characters that depend on the key's bytes
/// alone (the characters at either end also hold bits of the neighbouring bytes). A text that holds none of the forms is
/// searched, never copied.
/// </para>
/// </remarks>
internal sealed class SecretRedactor
{
    /// <summary>What a removed secret is replaced with.</summary>
    public const string Mask = "***";

    /// <summary>The shortest piece of the configured key that counts as a leak of it; shorter keys get no encoded forms.</summary>
    public const int MinFragmentLength = 8;

    private const int MinMaskedEndLength = 4;

    private readonly string? _key;
    private readonly EncodedForm[] _encodedForms;

    public SecretRedactor(string? apiKey)
    {
        _key = string.IsNullOrEmpty(apiKey) ? null : apiKey;
        _encodedForms = _key is { Length: >= MinFragmentLength } ? EncodedForms(_key) : [];
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
            foreach (EncodedForm form in _encodedForms)
            {
                text = form.Redact(text);
            }
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
    /// The key's base64 at each of the three byte alignments, in both alphabets (one form when they agree), and its hex.
    /// </summary>
    private static EncodedForm[] EncodedForms(string key)
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(key);
        var forms = new List<EncodedForm>(7);
        for (int alignment = 0; alignment < 3; alignment++)
        {
            byte[] shifted = new byte[alignment + bytes.Length];
            bytes.CopyTo(shifted, alignment);
            string encoded = Convert.ToBase64String(shifted);

            // Character j holds bits [6j, 6j + 6) of the shifted bytes; the key's bits are [8a, 8a + 8n).
            int first = ((8 * alignment) + 5) / 6;
            int end = (8 * (alignment + bytes.Length)) / 6;
            string standard = encoded[first..end];
            string urlSafe = standard.Replace('+', '-').Replace('/', '_');
            if (string.Equals(urlSafe, standard, StringComparison.Ordinal))
            {
                forms.Add(new EncodedForm(standard, StringComparison.Ordinal, EncodedAlphabet.EitherBase64));
            }
            else
            {
                forms.Add(new EncodedForm(standard, StringComparison.Ordinal, EncodedAlphabet.Base64));
                forms.Add(new EncodedForm(urlSafe, StringComparison.Ordinal, EncodedAlphabet.Base64Url));
            }
        }

        forms.Add(new EncodedForm(Convert.ToHexString(bytes), StringComparison.OrdinalIgnoreCase, EncodedAlphabet.Hex));
        return [.. forms];
    }

    /// <summary>
    /// Characters a key, a JSON Web Token or a masked echo is made of. <c>=</c> and <c>/</c> separate tokens, so a key
    /// glued to a query parameter or a path (<c>api_key=sk-…</c>, <c>/sk-…/</c>) is found, and only it is masked.
    /// </summary>
    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*';

    private enum EncodedAlphabet
    {
        Base64,
        Base64Url,

        /// <summary>A form with no character that differs between the two alphabets: its run may be either.</summary>
        EitherBase64,
        Hex,
    }

    /// <summary>One encoding of the key: found anywhere, it is masked with the whole run of that alphabet around it.</summary>
    private sealed class EncodedForm(string text, StringComparison comparison, EncodedAlphabet alphabet)
    {
        public string Redact(string value)
        {
            int at = value.IndexOf(text, comparison);
            while (at >= 0)
            {
                int start = at;
                int end = at + text.Length;
                while (start > 0 && IsInAlphabet(value[start - 1]))
                {
                    start--;
                }

                while (end < value.Length && IsInAlphabet(value[end]))
                {
                    end++;
                }

                while (alphabet != EncodedAlphabet.Hex && end < value.Length && value[end] == '=')
                {
                    end++;
                }

                value = string.Concat(value.AsSpan(0, start), Mask, value.AsSpan(end));
                at = value.IndexOf(text, start + Mask.Length, comparison);
            }

            return value;
        }

        private bool IsInAlphabet(char c) => alphabet switch
        {
            EncodedAlphabet.Base64 => char.IsAsciiLetterOrDigit(c) || c is '+' or '/',
            EncodedAlphabet.Base64Url => char.IsAsciiLetterOrDigit(c) || c is '-' or '_',
            EncodedAlphabet.EitherBase64 => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '-' or '_',
            _ => char.IsAsciiHexDigit(c),
        };
    }
}
