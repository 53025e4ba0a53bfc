using System.ClientModel;
using System.ClientModel.Primitives;

namespace StreamingCodeGeneration;

/// <summary>
/// The HTTP transport of the native sources (OpenAI's Responses API, Anthropic's Messages API): a System.ClientModel
/// pipeline, as the OpenAI SDK builds one, over the host's <see cref="HttpClient"/> (or the shared one), with the
/// credential in the provider's header, no retries of its own and no network timeout (this library's retries and
/// timeouts are the only ones). A request's body is streamed back unbuffered; cancelling the token or disposing the
/// response closes the connection.
/// </summary>
internal sealed class ProviderPipeline
{
    private readonly ClientPipeline _pipeline;
    private readonly Uri _endpoint;
    private readonly (string Name, string Value)[] _headers;

    private ProviderPipeline(ClientPipeline pipeline, Uri endpoint, (string Name, string Value)[] headers)
    {
        _pipeline = pipeline;
        _endpoint = endpoint;
        _headers = headers;
    }

    /// <summary>The endpoint requests are posted under (ending in a slash).</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>Builds the pipeline for an endpoint.</summary>
    /// <param name="endpoint">The API's base URL, up to and including its version segment.</param>
    /// <param name="apiKey">The key, or <see langword="null"/> to send none.</param>
    /// <param name="keyHeader">The header the key goes in: <c>x-api-key</c>, or <see langword="null"/> for <c>Authorization: Bearer</c>.</param>
    /// <param name="httpClient">The host's client, or <see langword="null"/> for <see cref="SharedHttpClient"/>.</param>
    /// <param name="headers">Headers every request carries (<c>anthropic-version</c>).</param>
    public static ProviderPipeline Create(Uri endpoint, string? apiKey, string? keyHeader, HttpClient? httpClient, params (string Name, string Value)[] headers)
    {
        var options = new ClientPipelineOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            Transport = new HttpClientPipelineTransport(httpClient ?? SharedHttpClient.Instance),
        };

        PipelinePolicy[] perTry = string.IsNullOrEmpty(apiKey)
            ? []
            : [keyHeader is null
                ? ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(apiKey))
                : ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(new ApiKeyCredential(apiKey), keyHeader)];
        ClientPipeline pipeline = ClientPipeline.Create(options, [], perTry, []);
        Uri withSlash = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        return new ProviderPipeline(pipeline, withSlash, headers);
    }

    /// <summary>
    /// Posts <paramref name="body"/> to <paramref name="relativePath"/> and returns the response, whatever its status,
    /// with its body unread. The caller disposes it.
    /// </summary>
    /// <param name="relativePath">The path under the endpoint (<c>messages</c>, <c>responses</c>).</param>
    /// <param name="body">The JSON body.</param>
    /// <param name="overrides">Takes the request's method and URL (for error messages), and keeps the pipeline from retrying.</param>
    /// <param name="cancellationToken">Cancels the request and, later, the body's reads.</param>
    public async ValueTask<PipelineResponse> SendAsync(string relativePath, BinaryData body, SdkOverridesPolicy overrides, CancellationToken cancellationToken)
    {
        PipelineMessage message = _pipeline.CreateMessage();
        try
        {
            message.BufferResponse = false;
            PipelineRequest request = message.Request;
            request.Method = "POST";
            request.Uri = new Uri(_endpoint, relativePath);
            request.Headers.Set("Accept", "text/event-stream");
            request.Headers.Set("Content-Type", "application/json");
            foreach ((string name, string value) in _headers)
            {
                request.Headers.Set(name, value);
            }

            request.Content = BinaryContent.Create(body);
            var requestOptions = new RequestOptions { BufferResponse = false, ErrorOptions = ClientErrorBehaviors.NoThrow, CancellationToken = cancellationToken };
            requestOptions.AddPolicy(overrides, PipelinePosition.PerCall);
            message.Apply(requestOptions);
            await _pipeline.SendAsync(message).ConfigureAwait(false);
            return message.ExtractResponse() ?? throw new ClientResultException("The pipeline returned no response.");
        }
        finally
        {
            message.Dispose();
        }
    }
}
