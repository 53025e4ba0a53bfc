using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI.Chat;

namespace StreamingCodeGeneration;

/// <summary>
/// What a generator streams from, as a constructor or dependency injection is given it: an endpoint it connects to
/// itself (an OpenAI client for Chat Completions, with a key or an Entra ID token provider, or the native source of
/// OpenAI's Responses API or Anthropic's Messages API; through the host's <see cref="HttpClient"/>), a caller's
/// OpenAI <see cref="ChatClient"/>, any <see cref="IChatClient"/>, or a source itself. It decides which options must be
/// set (only an endpoint the generator connects to needs a key) and makes the source.
/// </summary>
internal sealed class GeneratorConnection
{
    private readonly AuthenticationTokenProvider? _tokenProvider;
    private readonly HttpClient? _httpClient;
    private readonly ChatClient? _openAIClient;
    private readonly IChatClient? _chatClient;
    private readonly IChatUpdateSource? _source;

    private GeneratorConnection(AuthenticationTokenProvider? tokenProvider, HttpClient? httpClient, ChatClient? openAIClient, IChatClient? chatClient, IChatUpdateSource? source)
    {
        _tokenProvider = tokenProvider;
        _httpClient = httpClient;
        _openAIClient = openAIClient;
        _chatClient = chatClient;
        _source = source;
    }

    /// <summary>
    /// Whether the generator connects to <see cref="StreamingCodeGeneratorOptions.Endpoint"/> itself: then the endpoint
    /// and key are checked, and what the options leave unset comes from the environment.
    /// </summary>
    public bool BuildsItsOwnClient => _openAIClient is null && _chatClient is null && _source is null;

    /// <summary>Whether an Entra ID token provider stands in for the key.</summary>
    public bool HasTokenProvider => _tokenProvider is not null;

    /// <summary>The generator connects to the options' endpoint, with their key or <paramref name="tokenProvider"/>.</summary>
    public static GeneratorConnection Endpoint(AuthenticationTokenProvider? tokenProvider, HttpClient? httpClient) =>
        new(tokenProvider, httpClient, null, null, null);

    /// <summary>The generator sends through a caller's OpenAI client (its endpoint, credentials and pipeline).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    public static GeneratorConnection OpenAIClient(ChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(null, null, client, null, null);
    }

    /// <summary>The generator streams from a Microsoft.Extensions.AI chat client.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    public static GeneratorConnection ChatClient(IChatClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new(null, null, null, client, null);
    }

    /// <summary>The generator streams from a source as it is (a provider's translator; tests and benchmarks).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    public static GeneratorConnection Source(IChatUpdateSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(null, null, null, null, source);
    }

    /// <summary>The source for validated, normalized options, and the endpoint requests go to (the provider's own when unknown).</summary>
    public IChatUpdateSource CreateSource(StreamingCodeGeneratorOptions options, SecretRedactor redactor, TimeProvider timeProvider, out Uri endpoint)
    {
        if (_source is not null)
        {
            endpoint = options.EffectiveEndpoint;
            return _source;
        }

        if (_chatClient is not null)
        {
            endpoint = options.EffectiveEndpoint;
            return new ChatClientSource(_chatClient, redactor);
        }

        if (_openAIClient is null && options.Provider is ModelProvider.Anthropic or ModelProvider.OpenAIResponses)
        {
            endpoint = options.EffectiveEndpoint;
            if (options.Provider == ModelProvider.Anthropic)
            {
                var messages = ProviderPipeline.Create(endpoint, options.ApiKey, "x-api-key", _httpClient, ("anthropic-version", AnthropicRequestWriter.ApiVersion));
                return new AnthropicMessagesSource(messages, options.ThinkingBudgetTokens, options.MaxEventSize, redactor, timeProvider);
            }

            var responses = ProviderPipeline.Create(endpoint, options.ApiKey, keyHeader: null, _httpClient);
            return new OpenAIResponsesSource(responses, options.IncludeReasoning, options.MaxEventSize, redactor, timeProvider);
        }

        // A caller's client keeps its own endpoint: the options' is only a hint for telemetry and the output-limit name.
        ChatClient client = _openAIClient ?? ChatClientFactory.Create(options, _tokenProvider, _httpClient, timeProvider, out Uri _);
        Uri? address = _openAIClient is null ? options.Endpoint ?? StreamingCodeGeneratorOptions.OpenAIEndpoint : options.Endpoint;
        endpoint = address ?? StreamingCodeGeneratorOptions.OpenAIEndpoint;
        return new OpenAIChatSource(client, address, ChatClientFactory.ProviderName(options, address), options.MaxEventSize, redactor, timeProvider);
    }
}
