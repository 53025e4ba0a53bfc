using System.ComponentModel;

namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>The error object OpenAI's clients read.</summary>
internal sealed record OpenAIError(
    [property: Description("What went wrong, written by the service.")] string Message,
    [property: Description("invalid_request_error (also for a wrong or missing API key, as OpenAI), rate_limit_error or server_error.")] string Type,
    [property: Description("The offending request field, when one is to blame.")] string? Param,
    [property: Description("A stable code: prompt_too_long, invalid_role, unsupported_parameter, invalid_api_key, unknown_url, rate_limit_exceeded, upstream_timeout…")] string Code);
