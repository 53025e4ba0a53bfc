using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Chat;

namespace StreamingCodeGeneration;

/// <summary>
/// Builds the OpenAI SDK client a generator sends through, from the options: the endpoint (OpenAI, a compatible
/// server, or Azure OpenAI's v1 or classic form), the credential (a bearer key, Azure's <c>api-key</c> header, an Entra
/// ID token, or none), and the HTTP transport; the SDK's own retries are off and its network timeout lifted.
/// </summary>
internal static class ChatClientFactory
{
    /// <summary>The scope of Entra ID tokens for Azure OpenAI (Cognitive Services).</summary>
    public const string AzureScope = "https://cognitiveservices.azure.com/.default";

    public static ChatClient Create(StreamingCodeGeneratorOptions options, AuthenticationTokenProvider? tokenProvider, HttpClient? httpClient, TimeProvider timeProvider, out Uri endpoint)
    {
        endpoint = options.Endpoint ?? StreamingCodeGeneratorOptions.OpenAIEndpoint;
        bool azure = options.Provider == ModelProvider.AzureOpenAI;
        var clientOptions = new OpenAIClientOptions
        {
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
            Transport = new HttpClientPipelineTransport(httpClient ?? SharedHttpClient.Instance),
        };

        if (azure && !IsAzureV1(endpoint))
        {
            // Classic: POST https://RESOURCE.openai.azure.com/openai/deployments/{deployment}/chat/completions?api-version=…
            clientOptions.Endpoint = new Uri(WithSlash(endpoint), $"openai/deployments/{options.Model}/");
            clientOptions.AddPolicy(new AzureApiVersionPolicy(options.AzureApiVersion), PipelinePosition.PerCall);
        }
        else
        {
            clientOptions.Endpoint = endpoint;
        }

#pragma warning disable OPENAI001 // The ChatClient(AuthenticationPolicy) constructor is marked evaluation-only; it is the SDK's way to choose the credential.
        AuthenticationPolicy authentication = tokenProvider is not null
            ? new EntraTokenPolicy(tokenProvider, AzureScope, timeProvider)
            : string.IsNullOrEmpty(options.ApiKey)
                ? new NoAuthenticationPolicy()
                : azure
                    ? ApiKeyAuthenticationPolicy.CreateHeaderApiKeyPolicy(new ApiKeyCredential(options.ApiKey), "api-key")
                    : ApiKeyAuthenticationPolicy.CreateBearerAuthorizationPolicy(new ApiKeyCredential(options.ApiKey));
        return new ChatClient(options.Model, authentication, clientOptions);
#pragma warning restore OPENAI001
    }

    /// <summary>The GenAI semantic conventions' provider name.</summary>
    public static string ProviderName(StreamingCodeGeneratorOptions options, Uri? endpoint) =>
        options.Provider == ModelProvider.AzureOpenAI || endpoint?.Host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase) == true
            ? "azure.ai.openai"
            : "openai";

    private static bool IsAzureV1(Uri endpoint) =>
        endpoint.AbsolutePath.TrimEnd('/').EndsWith("/openai/v1", StringComparison.OrdinalIgnoreCase);

    private static Uri WithSlash(Uri uri) => uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");

    /// <summary>Adds Azure's <c>api-version</c> query parameter to every request of the classic endpoint.</summary>
    private sealed class AzureApiVersionPolicy(string apiVersion) : RequestPolicy
    {
        protected override void Apply(PipelineMessage message)
        {
            var uri = new UriBuilder(message.Request.Uri!);
            string query = "api-version=" + Uri.EscapeDataString(apiVersion);
            uri.Query = string.IsNullOrEmpty(uri.Query) || uri.Query == "?" ? query : uri.Query.TrimStart('?') + "&" + query;
            message.Request.Uri = uri.Uri;
        }
    }
}
