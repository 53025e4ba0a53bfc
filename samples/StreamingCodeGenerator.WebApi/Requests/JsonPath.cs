using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// Names a place in a request body the way error messages and <c>param</c> do: <c>messages[0].content</c>, with a name
/// that is not an identifier quoted (<c>metadata["a b"]</c>); the body itself is the empty path.
/// </summary>
internal static class JsonPath
{
    /// <summary>Names longer than this are cut (with "…") when shown.</summary>
    public const int MaxShownNameLength = 40;

    private static readonly SearchValues<char> IdentifierCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    public static string Property(string parent, string name)
    {
        if (name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.AsSpan().IndexOfAnyExcept(IdentifierCharacters) < 0)
        {
            return parent.Length == 0 ? name : parent + "." + name;
        }

        string shown = name.Length > MaxShownNameLength ? name[..MaxShownNameLength] + "…" : name;
        return parent + "[\"" + JsonEncodedText.Encode(shown, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"]";
    }

    public static string Index(string parent, int index) => parent + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";
}
