using System.Globalization;
using System.Text;
using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>An error as a server describes it: <c>{"error": {"message", "type", "code", "param"}}</c> or a looser shape.</summary>
internal sealed record ApiError(string? Message, string? Type, string? Code, string? Param)
{
    public string? RequestId { get; init; }

    /// <summary>The request that failed, as <c>METHOD URL</c> with user info and query values removed.</summary>
    public string? Request { get; init; }

    /// <summary>A sentence that tells the caller what to do, when the failure has a likely fix.</summary>
    public string? Hint { get; init; }

    /// <summary>This error with every field passed through <paramref name="redactor"/>: what a server says can echo a key.</summary>
    public ApiError Redacted(SecretRedactor redactor) => new(
        redactor.Redact(Message),
        redactor.Redact(Type),
        redactor.Redact(Code),
        redactor.Redact(Param))
    {
        RequestId = redactor.Redact(RequestId),
        Request = Request,
        Hint = redactor.Redact(Hint),
    };

    /// <summary>
    /// Parses an error body; a body that is not JSON (an HTML page from a proxy) keeps a short plain excerpt. Every
    /// field, and the request id, passes through <paramref name="redactor"/>.
    /// </summary>
    public static ApiError Parse(ReadOnlySpan<byte> body, string? requestId, SecretRedactor redactor)
    {
        ApiError parsed = TryParseJson(body) ?? new ApiError(PlainExcerpt(body), null, null, null);
        return (parsed with { RequestId = requestId }).Redacted(redactor);
    }

    /// <summary>
    /// Reads <c>{"error": {...}}</c>, <c>{"error": "text", "code": 400}</c>, <c>{"message": ...}</c> or
    /// <c>{"detail": ...}</c>. Returns <see langword="null"/> when the bytes are not a JSON object.
    /// </summary>
    public static ApiError? TryParseJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? message = null, type = null, code = null, param = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ReadErrorObject(ref reader, ref message, ref type, ref code, ref param);
                    }
                    else
                    {
                        message ??= ReadScalar(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("message"u8) || reader.ValueTextEquals("detail"u8))
                {
                    reader.Read();
                    message ??= ReadScalar(ref reader);
                }
                else if (reader.ValueTextEquals("code"u8))
                {
                    reader.Read();
                    code ??= ReadScalar(ref reader);
                }
                else if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    type ??= ReadScalar(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.TrySkip();
                }
            }

            return new ApiError(message, type, code, param);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    internal static void ReadErrorObject(ref Utf8JsonReader reader, ref string? message, ref string? type, ref string? code, ref string? param)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8))
            {
                reader.Read();
                message = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = ReadScalar(ref reader);
            }
            else if (reader.ValueTextEquals("param"u8))
            {
                reader.Read();
                param = ReadScalar(ref reader);
            }
            else
            {
                reader.Read();
                reader.TrySkip();
            }
        }
    }

    /// <summary>Reads a string or number as text; skips objects and arrays (returning <see langword="null"/>).</summary>
    internal static string? ReadScalar(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return JsonStrings.Read(ref reader);
            case JsonTokenType.Number:
                return Encoding.UTF8.GetString(reader.ValueSpan);
            case JsonTokenType.True:
                return "true";
            case JsonTokenType.False:
                return "false";
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                reader.TrySkip();
                return null;
            default:
                return null;
        }
    }

    /// <summary>A short, single-line excerpt of a non-JSON body: HTML tags stripped, whitespace collapsed.</summary>
    internal static string? PlainExcerpt(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        string text = Encoding.UTF8.GetString(body.Length > 4096 ? body[..4096] : body);
        var sb = new StringBuilder(Math.Min(text.Length, 300));
        bool inTag = false, lastWasSpace = true;
        foreach (char c in text)
        {
            if (c == '<')
            {
                inTag = true;
                continue;
            }

            if (inTag)
            {
                if (c == '>')
                {
                    inTag = false;
                    if (!lastWasSpace)
                    {
                        sb.Append(' ');
                        lastWasSpace = true;
                    }
                }

                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (!lastWasSpace)
                {
                    sb.Append(' ');
                    lastWasSpace = true;
                }
            }
            else
            {
                sb.Append(c);
                lastWasSpace = false;
            }

            if (sb.Length >= 300)
            {
                sb.Append('…');
                break;
            }
        }

        string result = sb.ToString().Trim();
        return result.Length == 0 ? null : result;
    }

    /// <summary>
    /// Describes a request for a message: <c>POST https://host/v1/chat/completions</c>, without user info, and with
    /// every query value but <c>api-version</c> replaced by <c>***</c> (a query can carry a key).
    /// </summary>
    public static string DescribeRequest(string method, Uri uri)
    {
        var sb = new StringBuilder(method.Length + 64);
        sb.Append(method).Append(' ').Append(uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped));
        string query = uri.Query;
        if (query.Length > 1)
        {
            char separator = '?';
            foreach (string pair in query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                int equals = pair.IndexOf('=', StringComparison.Ordinal);
                string name = equals < 0 ? pair : pair[..equals];
                sb.Append(separator).Append(name);
                if (equals >= 0)
                {
                    sb.Append('=').Append(string.Equals(name, "api-version", StringComparison.OrdinalIgnoreCase) ? pair[(equals + 1)..] : SecretRedactor.Mask);
                }

                separator = '&';
            }
        }

        return sb.ToString();
    }

    public static string FormatMessage(int statusCode, ApiError error)
    {
        var sb = new StringBuilder();
        if (error.Request is not null)
        {
            sb.Append(error.Request).Append(CultureInfo.InvariantCulture, $" returned HTTP {statusCode}");
        }
        else
        {
            sb.Append(CultureInfo.InvariantCulture, $"The server returned HTTP {statusCode}");
        }

        if (error.Code is not null)
        {
            sb.Append(" (").Append(error.Code).Append(')');
        }
        else if (error.Type is not null)
        {
            sb.Append(" (").Append(error.Type).Append(')');
        }

        if (!string.IsNullOrEmpty(error.Message))
        {
            sb.Append(": ").Append(error.Message);
        }
        else
        {
            sb.Append('.');
        }

        if (error.RequestId is not null)
        {
            sb.Append(" Request id: ").Append(error.RequestId).Append('.');
        }

        if (error.Hint is not null)
        {
            sb.Append(' ').Append(error.Hint);
        }

        return sb.ToString();
    }
}
