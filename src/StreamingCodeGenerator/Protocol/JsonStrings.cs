using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>
/// Reads JSON string values that a server may have written badly, without ever throwing. Invalid UTF-8 becomes
/// U+FFFD (as the OpenAI Python SDK's decoder does); an escaped surrogate without its pair (<c>"\ud83d"</c>) is kept,
/// so that <see cref="SurrogateRepair"/> can join a pair a server split across two events.
/// </summary>
internal static class JsonStrings
{
    /// <summary>Reads the current string token. <paramref name="wellFormed"/> is <see langword="false"/> when the text may hold a lone surrogate.</summary>
    public static string Read(ref Utf8JsonReader reader, out bool wellFormed)
    {
        wellFormed = true;
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Invalid UTF-8 or an unpaired escaped surrogate: decode it ourselves.
        }

        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        string text = reader.ValueIsEscaped ? Unescape(raw) : Encoding.UTF8.GetString(raw);
        wellFormed = !HasLoneSurrogate(text);
        return text;
    }

    /// <summary>Reads the current string token, replacing anything ill-formed with U+FFFD.</summary>
    public static string Read(ref Utf8JsonReader reader)
    {
        string text = Read(ref reader, out bool wellFormed);
        return wellFormed ? text : SurrogateRepair.ReplaceLoneSurrogates(text);
    }

    private static string Unescape(ReadOnlySpan<byte> raw)
    {
        var sb = new StringBuilder(raw.Length);
        while (!raw.IsEmpty)
        {
            int backslash = raw.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                sb.Append(Encoding.UTF8.GetString(raw));
                break;
            }

            // A backslash is ASCII, so it never splits a multi-byte UTF-8 sequence.
            sb.Append(Encoding.UTF8.GetString(raw[..backslash]));
            raw = raw[(backslash + 1)..];
            if (raw.IsEmpty)
            {
                break;
            }

            byte escape = raw[0];
            raw = raw[1..];
            switch (escape)
            {
                case (byte)'n': sb.Append('\n'); break;
                case (byte)'r': sb.Append('\r'); break;
                case (byte)'t': sb.Append('\t'); break;
                case (byte)'b': sb.Append('\b'); break;
                case (byte)'f': sb.Append('\f'); break;
                case (byte)'u' when raw.Length >= 4 && Utf8Parser.TryParse(raw[..4], out ushort code, out int consumed, 'x') && consumed == 4:
                    sb.Append((char)code);
                    raw = raw[4..];
                    break;
                default: sb.Append((char)escape); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Whether the text holds half of a surrogate pair without its partner.</summary>
    internal static bool HasLoneSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }
}
