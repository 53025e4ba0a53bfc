using System.ClientModel;
using System.ClientModel.Primitives;

namespace StreamingCodeGeneration;

/// <summary>
/// Sends an Entra ID bearer token (for Azure OpenAI's <c>https://cognitiveservices.azure.com/.default</c> scope) with
/// every request: one token is cached and shared by concurrent requests, and a new one is fetched before the cached one
/// expires (at its <c>RefreshOn</c>, else five minutes before <c>ExpiresOn</c>), on the generator's clock. Tokens travel
/// only over https, or to a loopback address (a local proxy or test server).
/// </summary>
internal sealed class EntraTokenPolicy : AuthenticationPolicy
{
    /// <summary>How long before expiry a token is replaced.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly AuthenticationTokenProvider _provider;
    private readonly GetTokenOptions _tokenOptions;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private AuthenticationToken? _token;

    public EntraTokenPolicy(AuthenticationTokenProvider provider, string scope, TimeProvider timeProvider)
    {
        _provider = provider;
        _timeProvider = timeProvider;
        _tokenOptions = provider.CreateTokenOptions(new Dictionary<string, object> { [GetTokenOptions.ScopesPropertyName] = new[] { scope } })
            ?? new GetTokenOptions(new Dictionary<string, object> { [GetTokenOptions.ScopesPropertyName] = new[] { scope } });
    }

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessAsync(message, pipeline, currentIndex).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Uri? uri = message.Request.Uri;
        if (uri is not null && !string.Equals(uri.Scheme, "https", StringComparison.OrdinalIgnoreCase) && !uri.IsLoopback)
        {
            throw new InvalidOperationException($"Entra ID bearer tokens are sent only over https (or to a loopback address), not to {uri.Scheme}://{uri.Host}.");
        }

        AuthenticationToken token = await GetTokenAsync(message.CancellationToken).ConfigureAwait(false);
        message.Request.Headers.Set("Authorization", "Bearer " + token.TokenValue);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }

    private async ValueTask<AuthenticationToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (IsFresh(_token))
        {
            return _token!;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsFresh(_token))
            {
                _token = await _provider.GetTokenAsync(_tokenOptions, cancellationToken).ConfigureAwait(false);
            }

            return _token!;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsFresh(AuthenticationToken? token) =>
        token is not null && _timeProvider.GetUtcNow() < (token.RefreshOn ?? token.ExpiresOn - RefreshMargin);
}
