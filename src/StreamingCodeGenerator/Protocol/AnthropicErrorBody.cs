using System.Text.Json;

namespace StreamingCodeGeneration;

/// <summary>
/// Reads the error body Anthropic's API sends with a non-2xx status:
/// <c>{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_…"}</c>.
/// </summary>
/// <remarks>
/// The error's <c>type</c> names the failure (<c>invalid_request_error</c> 400, <c>authentication_error</c> 401,
/// <c>permission_error</c> 403, <c>not_found_error</c> 404, <c>request_too_large</c> 413, <c>rate_limit_error</c> 429,
/// <c>api_error</c> 500, <c>overloaded_error</c> 529); it becomes <see cref="ApiError.Type"/> (Anthropic sends no
/// code). A body that is not this shape (an HTML page from a proxy) keeps a short plain excerpt, as
/// <see cref="ApiError.Parse"/> does.
/// </remarks>
internal static class AnthropicErrorBody
{
    /// <summary>Parses an error body; every field passes through <paramref name="redactor"/>.</summary>
    /// <param name="body">The response body.</param>
    /// <param name="requestId">The <c>request-id</c> header, or <see langword="null"/>; the body's <c>request_id</c> is used when it is missing.</param>
    /// <param name="redactor">Removes secrets from what the server wrote.</param>
    /// <returns>The error.</returns>
    public static ApiError Parse(ReadOnlySpan<byte> body, string? requestId, SecretRedactor redactor)
    {
        ApiError? parsed = TryParse(body, out string? bodyRequestId);
        if (parsed is null)
        {
            return ApiError.Parse(body, requestId, redactor);
        }

        return (parsed with { RequestId = requestId ?? bodyRequestId }).Redacted(redactor);
    }

    private static ApiError? TryParse(ReadOnlySpan<byte> body, out string? requestId)
    {
        requestId = null;
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? message = null, type = null, code = null, param = null;
            bool sawError = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    if (ProviderJson.EnterObject(ref reader))
                    {
                        sawError = true;
                        ApiError.ReadErrorObject(ref reader, ref message, ref type, ref code, ref param);
                    }
                }
                else if (reader.ValueTextEquals("request_id"u8))
                {
                    requestId = ProviderJson.ReadString(ref reader);
                }
                else
                {
                    ProviderJson.Skip(ref reader);
                }
            }

            return sawError ? new ApiError(message, type, code, param) : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
