namespace StreamingCodeGeneration;

/// <summary>
/// Makes streamed text well-formed UTF-16. Some servers split a surrogate pair across two events
/// (<c>"\ud83d"</c> then <c>"\ude00"</c>): the high half is held and joined to the low half that follows, so the
/// text comes out exact. A surrogate that has no partner becomes U+FFFD.
/// </summary>
internal sealed class SurrogateRepair
{
    public const char Replacement = '\uFFFD';

    private char _pendingHigh;

    /// <summary>Whether a high surrogate is held, waiting for its low half.</summary>
    public bool IsHolding => _pendingHigh != '\0';

    /// <summary>
    /// Takes the next piece of text; returns what can be released (possibly empty while a lone high surrogate is held).
    /// <paramref name="wellFormed"/> pieces pass through untouched unless a half is held.
    /// </summary>
    public string Push(string text, bool wellFormed)
    {
        if ((wellFormed && _pendingHigh == '\0') || text.Length == 0)
        {
            // Nothing to join yet: an empty piece keeps a held high half waiting for its partner.
            return text;
        }

        var sb = new System.Text.StringBuilder(text.Length + 1);
        int i = 0;
        if (_pendingHigh != '\0')
        {
            if (text.Length > 0 && char.IsLowSurrogate(text[0]))
            {
                sb.Append(_pendingHigh).Append(text[0]);
                i = 1;
            }
            else
            {
                sb.Append(Replacement);
            }

            _pendingHigh = '\0';
        }

        for (; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    sb.Append(c).Append(text[++i]);
                }
                else if (i + 1 == text.Length)
                {
                    _pendingHigh = c;
                }
                else
                {
                    sb.Append(Replacement);
                }
            }
            else
            {
                sb.Append(char.IsLowSurrogate(c) ? Replacement : c);
            }
        }

        return sb.ToString();
    }

    /// <summary>The text ended: a held high surrogate that never met its partner becomes U+FFFD.</summary>
    public string Flush()
    {
        if (_pendingHigh == '\0')
        {
            return string.Empty;
        }

        _pendingHigh = '\0';
        return Replacement.ToString();
    }

    /// <summary>Replaces every unpaired surrogate in <paramref name="text"/> with U+FFFD.</summary>
    public static string ReplaceLoneSurrogates(string text)
    {
        var repair = new SurrogateRepair();
        return repair.Push(text, wellFormed: false) + repair.Flush();
    }
}
