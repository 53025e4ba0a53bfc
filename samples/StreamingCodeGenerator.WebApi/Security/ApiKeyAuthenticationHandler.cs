using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Security;

/// <summary>
/// Authenticates a client by one of the service's API keys, sent as <c>Authorization: Bearer KEY</c> (what OpenAI's
/// clients send) or <c>api-key: KEY</c> (what Azure OpenAI's clients send). A refusal is a 401 in the route's error
/// shape. The key is never logged. A client address that has sent too many wrong keys
/// (<see cref="FailedAuthenticationLimiter"/>) gets 429 for any key until its window ends: the key is not even checked,
/// so the answer says nothing about it.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, FailedAuthenticationLimiter failures)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    private TimeSpan? _blockedFor;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!keys.IsEnabled)
        {
            // No keys configured: the API is open, and the key an OpenAI client always sends means nothing.
            return AuthenticateResult.NoResult();
        }

        string? presented = null;
        string authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = authorization["Bearer ".Length..];
        }
        else if (Request.Headers.TryGetValue("api-key", out var apiKey))
        {
            presented = apiKey.ToString();
        }

        if (string.IsNullOrWhiteSpace(presented))
        {
            return AuthenticateResult.NoResult();
        }

        string client = FailedAuthenticationLimiter.ClientOf(Context);
        if (await failures.BlockedForAsync(client) is { } retryAfter)
        {
            _blockedFor = retryAfter;
            return AuthenticateResult.Fail("Too many wrong API keys from this address.");
        }

        if (keys.Match(presented) is not { } name)
        {
            await failures.RecordFailureAsync(client);
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        AuthenticateResult result = await HandleAuthenticateOnceSafeAsync();
        if (_blockedFor is { } wait)
        {
            await ErrorResults.WriteAsync(Context, new ServiceError(
                StatusCodes.Status429TooManyRequests,
                "too_many_failed_authentications",
                "Too many wrong API keys from this address. Retry after the time in Retry-After.",
                RetryAfter: wait));
            return;
        }

        // OpenAI's wording, without repeating any part of the key.
        string message = result.Failure is not null
            ? "Incorrect API key provided. Use a key this service's operator gave you, as Authorization: Bearer KEY or api-key: KEY."
            : "You didn't provide an API key. Send it in an Authorization header using Bearer auth (Authorization: Bearer KEY), or as api-key: KEY.";
        await ErrorResults.WriteAsync(Context, new ServiceError(401, result.Failure is not null ? "invalid_api_key" : "missing_api_key", message));
    }
}
