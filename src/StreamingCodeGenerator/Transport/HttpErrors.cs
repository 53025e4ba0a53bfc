using System.ClientModel.Primitives;

namespace StreamingCodeGeneration;

/// <summary>Turns an HTTP error status and body into the typed exception the caller sees, with a hint when the fix is likely.</summary>
internal static class HttpErrors
{
    public static ApiException Create(PipelineResponse response, ApiError error, TimeProvider timeProvider)
    {
        TimeSpan? retryAfter = response.Status == 429
            ? RetryAfterParser.Parse(Header(response, "retry-after-ms"), Header(response, "retry-after"), timeProvider.GetUtcNow())
            : null;
        return SourceFailures.FromStatus(response.Status, error, retryAfter);
    }

    /// <summary>What to do about an error status that usually means a wrong <see cref="StreamingCodeGeneratorOptions.Endpoint"/>.</summary>
    /// <param name="response">The error response.</param>
    /// <param name="requested">The URL the request went to.</param>
    /// <param name="redactor">Removes secrets from the redirect's target.</param>
    /// <param name="served">Where the API lives, for the missing-/v1 hint (<c>Anthropic serves /v1/messages</c>).</param>
    public static string? Hint(PipelineResponse response, Uri? requested, SecretRedactor redactor, string served = "OpenAI-compatible servers serve /v1/chat/completions")
    {
        if (response.Status is >= 300 and < 400)
        {
            string? location = Header(response, "location");
            return location is null
                ? "The endpoint redirected without a Location; check StreamingCodeGeneratorOptions.Endpoint."
                : $"The endpoint redirected to {redactor.Redact(location)}; set StreamingCodeGeneratorOptions.Endpoint to it (redirects are not followed).";
        }

        if (response.Status is 404 or 405 or 501 && requested is not null
            && !requested.AbsolutePath.Contains("/v1", StringComparison.OrdinalIgnoreCase)
            && !requested.AbsolutePath.Contains("/openai/", StringComparison.OrdinalIgnoreCase))
        {
            return $"The endpoint's path has no /v1 segment; {served}, so StreamingCodeGeneratorOptions.Endpoint is usually {requested.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped)}/v1.";
        }

        return null;
    }

    /// <summary>Whether a 400/422 is a server refusing <c>stream_options</c> (some Azure API versions and hosted services).</summary>
    public static bool RejectsStreamOptions(PipelineResponse response, ApiError error, ReadOnlySpan<byte> body) =>
        response.Status is 400 or 422
        && (string.Equals(error.Param, "stream_options", StringComparison.Ordinal)
            || (error.Message?.Contains("stream_options", StringComparison.OrdinalIgnoreCase) ?? false)
            || body.IndexOf("stream_options"u8) >= 0);

    public static string? Header(PipelineResponse response, string name) =>
        response.Headers.TryGetValue(name, out string? value) ? value : null;
}
