using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using OpenAI.Chat;

namespace StreamingCodeGeneration;

/// <summary>
/// What <c>AddStreamingCodeGenerator</c> returns: the registration of one generator, through which a host adds its own
/// HTTP message handlers, an Entra ID token provider, or a chat client to stream from.
/// </summary>
public sealed class StreamingCodeGeneratorBuilder
{
    internal StreamingCodeGeneratorBuilder(IServiceCollection services, object? serviceKey, string name, IHttpClientBuilder httpClient)
    {
        Services = services;
        ServiceKey = serviceKey;
        Name = name;
        HttpClient = httpClient;
    }

    /// <summary>Gets the service collection the generator is registered in.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Gets the key of a keyed registration, or <see langword="null"/>.</summary>
    public object? ServiceKey { get; }

    /// <summary>Gets the name of the generator's options (<c>IOptionsMonitor.Get(name)</c>); empty for the default registration.</summary>
    public string Name { get; }

    /// <summary>
    /// Gets the builder of the named <see cref="System.Net.Http.HttpClient"/> the generator sends through (from
    /// <c>IHttpClientFactory</c>): add a <c>DelegatingHandler</c> with <c>AddHttpMessageHandler</c>, or configure a proxy
    /// or socket settings with <c>ConfigurePrimaryHttpMessageHandler</c>.
    /// </summary>
    public IHttpClientBuilder HttpClient { get; }

    /// <summary>
    /// Gets the key of the generator's resilience pipeline (its shared circuit breaker) in the resilience registry, the
    /// same as its HTTP client's name: <c>StreamingCodeGenerator</c>, or <c>StreamingCodeGenerator:{key}</c> for a keyed
    /// registration. It is the <c>pipeline.name</c> of its <c>resilience.polly.*</c> metrics, and
    /// <c>ResiliencePipelineProvider&lt;string&gt;.GetPipeline</c> returns it.
    /// </summary>
    public string ResiliencePipelineName => HttpClient.Name;

    internal Func<IServiceProvider, AuthenticationTokenProvider>? TokenProviderFactory { get; private set; }

    internal Func<IServiceProvider, IChatClient>? ChatClientFactory { get; private set; }

    internal Func<IServiceProvider, ChatClient>? OpenAIChatClientFactory { get; private set; }

    /// <summary>Whether a chat client stands in for the endpoint and key in the options.</summary>
    internal bool HasChatClient => ChatClientFactory is not null || OpenAIChatClientFactory is not null;

    /// <summary>
    /// Authenticates with Entra ID (keyless) instead of a key: a bearer token for
    /// <c>https://cognitiveservices.azure.com/.default</c> from the provider, refreshed before it expires. Azure.Identity's
    /// credentials are providers: <c>builder.UseTokenProvider(_ =&gt; new DefaultAzureCredential())</c>.
    /// </summary>
    /// <param name="factory">Creates the token provider from the host's services.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public StreamingCodeGeneratorBuilder UseTokenProvider(Func<IServiceProvider, AuthenticationTokenProvider> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        TokenProviderFactory = factory;
        return this;
    }

    /// <summary>
    /// Streams from a Microsoft.Extensions.AI chat client instead of the OpenAI endpoint in the options (the client owns
    /// the endpoint and credentials; the generator adds its retries, timeouts, chunks and exact accounting). Replaces a
    /// client set before.
    /// </summary>
    /// <param name="factory">Creates the chat client from the host's services.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public StreamingCodeGeneratorBuilder UseChatClient(Func<IServiceProvider, IChatClient> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ChatClientFactory = factory;
        OpenAIChatClientFactory = null;
        return this;
    }

    /// <summary>
    /// Sends through an OpenAI <see cref="ChatClient"/> the host already has instead of the endpoint in the options, for
    /// example Azure's: <c>builder.UseChatClient(s =&gt; s.GetRequiredService&lt;AzureOpenAIClient&gt;().GetChatClient("deployment"))</c>.
    /// The client's endpoint, credentials and pipeline are used as they are, except that for every request the generator
    /// sends, the client's own retries are switched off and its network timeout lifted (as the <see cref="StreamingCodeGenerator"/>
    /// constructor that takes a <see cref="ChatClient"/> does). Replaces a client set before.
    /// </summary>
    /// <param name="factory">Creates the OpenAI chat client from the host's services.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is <see langword="null"/>.</exception>
    public StreamingCodeGeneratorBuilder UseChatClient(Func<IServiceProvider, ChatClient> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        OpenAIChatClientFactory = factory;
        ChatClientFactory = null;
        return this;
    }
}
