using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// Finds the first JSON string — a value or a property name, anywhere in the body — that is not Unicode text: bytes
/// that are not UTF-8 (0xFF, an overlong form such as C0 AF, a truncated sequence, an encoded surrogate such as ED A0 80)
/// or a <c>\u</c> escape of a surrogate without its partner (<c>"\ud800"</c>, <c>"\udc00"</c>).
/// </summary>
/// <remarks>
/// <see cref="JsonDocument"/> accepts both and throws <see cref="InvalidOperationException"/> only later, when the string
/// is read (or when property names are compared), which the service answered with an empty 500. One pass over the bytes
/// before parsing turns them into a 400 naming the field as a path (<c>messages[0].content</c>). Nothing is allocated
/// unless a string is wrong.
/// </remarks>
internal static class JsonStringCheck
{
    /// <summary>The error code of the 400.</summary>
    public const string ErrorCode = "invalid_unicode";

    /// <summary>The deepest nesting read; deeper bodies are refused by the parser, which says so.</summary>
    public const int MaxDepth = 32;

    private enum Problem
    {
        None,
        NotUtf8,
        LoneSurrogate,
    }

    /// <summary>Returns the error for the first string that is not Unicode text, or <see langword="null"/> when all are (or the JSON is broken: the parser reports that).</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="bodyOffset">Where <paramref name="json"/> starts in the body (after a byte order mark), for the offsets in messages.</param>
    public static ServiceError? FindInvalid(ReadOnlySpan<byte> json, int bodyOffset = 0)
    {
        Span<Frame> frames = stackalloc Frame[MaxDepth + 1];
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        int depth = -1;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        frames[depth].NameStart = (int)reader.TokenStartIndex;
                        frames[depth].NameLength = reader.ValueSpan.Length;
                        if (Check(reader.ValueSpan, reader.ValueIsEscaped, out int nameAt, out int nameUnit) is var nameProblem and not Problem.None)
                        {
                            string path = Path(json, frames[..depth]);
                            string name = ShownName(reader.ValueSpan);
                            string subject = "The property name " + name + (depth == 0 ? string.Empty : " in " + path);
                            return Error(json, nameProblem, $"{path}[{name}]", subject, (int)reader.TokenStartIndex + 1 + nameAt, bodyOffset, nameUnit);
                        }

                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        NextElement(frames, depth);
                        depth++;
                        frames[depth] = new Frame { IsArray = reader.TokenType == JsonTokenType.StartArray, Index = -1 };
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        depth--;
                        break;
                    case JsonTokenType.String:
                        NextElement(frames, depth);
                        if (depth >= 0 && Check(reader.ValueSpan, reader.ValueIsEscaped, out int at, out int unit) is var problem and not Problem.None)
                        {
                            string path = Path(json, frames[..(depth + 1)]);
                            return Error(json, problem, path, $"'{path}'", (int)reader.TokenStartIndex + 1 + at, bodyOffset, unit);
                        }

                        break;
                    default:
                        NextElement(frames, depth);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Broken JSON: the parser's own message (with the position) says what is wrong.
        }

        return null;
    }

    private static void NextElement(Span<Frame> frames, int depth)
    {
        if (depth >= 0 && frames[depth].IsArray)
        {
            frames[depth].Index++;
        }
    }

    /// <summary>
    /// Checks a string's text as it appears in the body. <c>\u</c> escapes are ASCII, so the bytes are checked as UTF-8
    /// first; then the escapes must pair up: a high surrogate (<c>\uD800</c>–<c>\uDBFF</c>) immediately followed by a
    /// low one (<c>\uDC00</c>–<c>\uDFFF</c>), and no low one alone. UTF-8 itself cannot hold a surrogate.
    /// </summary>
    private static Problem Check(ReadOnlySpan<byte> raw, bool escaped, out int at, out int unit)
    {
        unit = 0;
        if (!Utf8.IsValid(raw))
        {
            at = FirstInvalidByte(raw);
            return Problem.NotUtf8;
        }

        at = 0;
        if (!escaped)
        {
            return Problem.None;
        }

        int pendingHigh = -1;
        for (int i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\')
            {
                if (pendingHigh >= 0)
                {
                    break;
                }

                continue;
            }

            bool unicode = raw[i + 1] == (byte)'u';
            char code = unicode ? Escaped(raw, i) : '\0';
            if (pendingHigh >= 0 && !char.IsLowSurrogate(code))
            {
                break;
            }

            if (char.IsLowSurrogate(code) && pendingHigh < 0)
            {
                (at, unit) = (i, code);
                return Problem.LoneSurrogate;
            }

            pendingHigh = char.IsHighSurrogate(code) ? i : -1;
            i += unicode ? 5 : 1;
        }

        if (pendingHigh < 0)
        {
            return Problem.None;
        }

        (at, unit) = (pendingHigh, Escaped(raw, pendingHigh));
        return Problem.LoneSurrogate;
    }

    /// <summary>The UTF-16 code unit of the <c>\uXXXX</c> escape at <paramref name="offset"/> (the reader has checked its four hex digits).</summary>
    private static char Escaped(ReadOnlySpan<byte> raw, int offset)
    {
        Utf8Parser.TryParse(raw.Slice(offset + 2, 4), out ushort code, out _, 'x');
        return (char)code;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> raw)
    {
        int i = 0;
        while (i < raw.Length && Rune.DecodeFromUtf8(raw[i..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
        {
            i += consumed;
        }

        return i;
    }

    private static ServiceError Error(ReadOnlySpan<byte> json, Problem problem, string param, string subject, int offset, int bodyOffset, int unit)
    {
        string position = (bodyOffset + offset).ToString("N0", CultureInfo.InvariantCulture);
        string message = problem == Problem.NotUtf8
            ? $"{subject} is not valid UTF-8: the byte 0x{json[offset]:X2} at offset {position} of the body does not start a well-formed character. Send the body as UTF-8."
            : $"{subject} holds a lone surrogate, \\u{unit:x4} (at offset {position} of the body): a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF escape, as in \\ud83d\\ude00.";
        return ServiceError.BadRequest(ErrorCode, message, param);
    }

    /// <summary>The path to the current value, as <c>messages[0].content</c>; the body itself is the empty path.</summary>
    private static string Path(ReadOnlySpan<byte> json, ReadOnlySpan<Frame> frames)
    {
        string path = string.Empty;
        foreach (Frame frame in frames)
        {
            if (frame.IsArray)
            {
                path = JsonPath.Index(path, frame.Index);
                continue;
            }

            // A name on the path was checked before its value was read, so it reads as a string.
            var name = new Utf8JsonReader(json.Slice(frame.NameStart, frame.NameLength + 2));
            name.Read();
            path = JsonPath.Property(path, name.GetString()!);
        }

        return path;
    }

    /// <summary>A name that is not text, as sent: escapes as written, bytes that are not UTF-8 as U+FFFD.</summary>
    private static string ShownName(ReadOnlySpan<byte> raw)
    {
        string text = Encoding.UTF8.GetString(raw);
        return "\"" + (text.Length > JsonPath.MaxShownNameLength ? text[..JsonPath.MaxShownNameLength] + "…" : text) + "\"";
    }

    private struct Frame
    {
        public bool IsArray;
        public int Index;
        public int NameStart;
        public int NameLength;
    }
}
