using System.Buffers;
using System.Globalization;
using System.Text.Json;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Requests;

/// <summary>
/// Reads a request's JSON body with a size limit and says plainly what is wrong with it: no body, not JSON (only
/// <c>application/json</c> is accepted, so a browser cannot send it cross-origin without CORS), too large, not a JSON
/// object, broken JSON with the position of the fault, a property given twice, or a string that is not Unicode text
/// (see <see cref="JsonStringCheck"/>).
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonDocument? Document, ServiceError? Error)> ReadAsync(HttpRequest request, int maxBytes, string example)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.Headers.ContainsKey("Transfer-Encoding") && request.ContentType is null))
        {
            return (null, ServiceError.BadRequest("missing_body", $"The request has no body. Send a JSON object such as {example}."));
        }

        if (!IsJson(request.ContentType))
        {
            return (null, new ServiceError(415, "unsupported_media_type", $"The body must be JSON, sent with Content-Type: application/json (not {request.ContentType ?? "no content type"})."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(maxBytes + 1, 64 * 1024));
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        return (null, TooLarge(maxBytes));
                    }

                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                int read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > maxBytes)
                {
                    return (null, TooLarge(maxBytes));
                }
            }

            // JSON has no byte order mark, but a parser may ignore one (RFC 8259, section 8.1): some Windows tools write it.
            int start = buffer.AsSpan(0, length).StartsWith("\uFEFF"u8) ? 3 : 0;
            if (length == start || buffer.AsSpan(start, length - start).Trim(" \t\r\n"u8).IsEmpty)
            {
                return (null, ServiceError.BadRequest("missing_body", $"The request has no body. Send a JSON object such as {example}."));
            }

            // Strings that are not Unicode text parse, and fail only when read: find them first, and name the field.
            if (JsonStringCheck.FindInvalid(buffer.AsSpan(start, length - start), start) is { } textError)
            {
                return (null, textError);
            }

            JsonDocument document;
            try
            {
                // A name given twice would leave which value counts to each reader of the body: refuse it.
                var options = new JsonDocumentOptions { MaxDepth = JsonStringCheck.MaxDepth, AllowDuplicateProperties = false };
                document = JsonDocument.Parse(buffer.AsMemory(start, length - start).ToArray(), options);
            }
            catch (JsonException exception)
            {
                return (null, FindDuplicate(buffer.AsMemory(start, length - start)) ?? ServiceError.BadRequest("invalid_json", $"The body is not valid JSON: {exception.Message}"));
            }

            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                ServiceError error = ServiceError.BadRequest("invalid_json", $"The body must be a JSON object such as {example}, not {Describe(document.RootElement)}.");
                document.Dispose();
                return (null, error);
            }

            return (document, null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Names a JSON value's kind for an error message: "a string", "a number", "null"…</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    /// <summary>When the body is JSON but for a property given twice, names the first such property.</summary>
    private static ServiceError? FindDuplicate(ReadOnlyMemory<byte> json)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = JsonStringCheck.MaxDepth });
            return FindDuplicate(document.RootElement, string.Empty) is { } path
                ? ServiceError.BadRequest("duplicate_property", $"'{path}' is given more than once: send each property once.", path)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? FindDuplicate(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            int index = 0;
            foreach (JsonElement item in element.EnumerateArray())
            {
                if (FindDuplicate(item, JsonPath.Index(path, index++)) is { } found)
                {
                    return found;
                }
            }
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty property in element.EnumerateObject())
            {
                string at = JsonPath.Property(path, property.Name);
                if (!names.Add(property.Name))
                {
                    return at;
                }

                if (FindDuplicate(property.Value, at) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    private static ServiceError TooLarge(int maxBytes) => new(
        413,
        "request_too_large",
        $"The body is larger than {maxBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes.");

    private static bool IsJson(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }

        string mediaType = contentType.Split(';', 2)[0].Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
