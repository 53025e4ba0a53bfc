using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>Small value readers shared by the native provider parsers. Each one reads the current property's value.</summary>
internal static class ProviderJson
{
    /// <summary>Reads an integer value; anything else (null, a string, an object) is skipped and gives <see langword="null"/>.</summary>
    public static int? ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value))
        {
            return value;
        }

        reader.TrySkip();
        return null;
    }

    /// <summary>
    /// Reads a string value that may carry answer or reasoning text, without throwing on what a server wrote badly; an
    /// empty string, null or any other token gives <see langword="null"/> (and allocates nothing).
    /// </summary>
    public static string? ReadText(ref Utf8JsonReader reader, out bool wellFormed)
    {
        reader.Read();
        wellFormed = true;
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueSpan.IsEmpty && !reader.HasValueSequence ? null : EmptyToNull(JsonStrings.Read(ref reader, out wellFormed));
        }

        reader.TrySkip();
        return null;
    }

    /// <summary>Reads a server string (an id, a reason, an explanation): ill-formed text becomes U+FFFD; empty or not a string gives <see langword="null"/>.</summary>
    public static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.ValueSpan.IsEmpty && !reader.HasValueSequence ? null : EmptyToNull(JsonStrings.Read(ref reader));
        }

        reader.TrySkip();
        return null;
    }

    /// <summary>Whether the current property's string value equals <paramref name="text"/>; the value is consumed either way.</summary>
    public static bool ReadStringEquals(ref Utf8JsonReader reader, ReadOnlySpan<byte> text)
    {
        reader.Read();
        bool equal = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(text);
        reader.TrySkip();
        return equal;
    }

    /// <summary>Skips the current property's value.</summary>
    public static void Skip(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.TrySkip();
    }

    /// <summary>Moves into the current property's object value; returns <see langword="false"/> (having skipped it) when it is not an object.</summary>
    public static bool EnterObject(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return true;
        }

        reader.TrySkip();
        return false;
    }

    /// <summary>Reads the integer property <paramref name="name"/> of the current property's object value.</summary>
    public static int? ReadNestedInt(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!EnterObject(ref reader))
        {
            return null;
        }

        int? found = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                found = ReadInt(ref reader) ?? found;
            }
            else
            {
                Skip(ref reader);
            }
        }

        return found;
    }

    private static string? EmptyToNull(string text) => text.Length == 0 ? null : text;
}
