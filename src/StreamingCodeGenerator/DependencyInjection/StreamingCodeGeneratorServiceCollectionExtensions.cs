using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StreamingCodeGeneration;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers <see cref="StreamingCodeGenerator"/> in a host's services: options bound from configuration (with generated,
/// AOT-safe code) and validated at start-up, the HTTP client from <c>IHttpClientFactory</c>, and the host's
/// <see cref="ILoggerFactory"/>, <see cref="TimeProvider"/> and <see cref="IMeterFactory"/> when it has them.
/// </summary>
/// <example>
/// <code>
/// builder.Services.AddStreamingCodeGenerator(builder.Configuration.GetSection("StreamingCodeGenerator"));
/// app.MapGet("/code", (StreamingCodeGenerator generator, string prompt) => generator.GenerateAsync(prompt));
/// </code>
/// </example>
public static class StreamingCodeGeneratorServiceCollectionExtensions
{
    /// <summary>The name of the default generator's HTTP client.</summary>
    public const string HttpClientName = "StreamingCodeGenerator";

    /// <summary>Registers a singleton <see cref="StreamingCodeGenerator"/> configured from a configuration section.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The section holding the options (for example <c>StreamingCodeGenerator</c>): <c>Model</c>, <c>Endpoint</c>, <c>ApiKey</c>…</param>
    /// <returns>A builder to add HTTP handlers, an Entra ID token provider or a chat client.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static StreamingCodeGeneratorBuilder AddStreamingCodeGenerator(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey: null, configuration, configure: null);
    }

    /// <summary>Registers a singleton <see cref="StreamingCodeGenerator"/> configured in code.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add HTTP handlers, an Entra ID token provider or a chat client.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static StreamingCodeGeneratorBuilder AddStreamingCodeGenerator(this IServiceCollection services, Action<StreamingCodeGeneratorOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey: null, configuration: null, configure);
    }

    /// <summary>
    /// Registers a keyed singleton <see cref="StreamingCodeGenerator"/> (for hosts that use several models), resolved with
    /// <c>[FromKeyedServices("fast")]</c> or <c>GetRequiredKeyedService</c>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="serviceKey">The key, for example <c>fast</c>.</param>
    /// <param name="configuration">The section holding this generator's options.</param>
    /// <returns>A builder to add HTTP handlers, an Entra ID token provider or a chat client.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static StreamingCodeGeneratorBuilder AddKeyedStreamingCodeGenerator(this IServiceCollection services, string serviceKey, IConfiguration configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceKey);
        ArgumentNullException.ThrowIfNull(configuration);
        return Add(services, serviceKey, configuration, configure: null);
    }

    /// <summary>Registers a keyed singleton <see cref="StreamingCodeGenerator"/> configured in code.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="serviceKey">The key, for example <c>fast</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>A builder to add HTTP handlers, an Entra ID token provider or a chat client.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static StreamingCodeGeneratorBuilder AddKeyedStreamingCodeGenerator(this IServiceCollection services, string serviceKey, Action<StreamingCodeGeneratorOptions> configure)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        return Add(services, serviceKey, configuration: null, configure);
    }

    private static StreamingCodeGeneratorBuilder Add(IServiceCollection services, string? serviceKey, IConfiguration? configuration, Action<StreamingCodeGeneratorOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        string name = serviceKey ?? Options.Options.DefaultName;
        string httpClientName = serviceKey is null ? HttpClientName : HttpClientName + ":" + serviceKey;

        OptionsBuilder<StreamingCodeGeneratorOptions> options = services.AddOptions<StreamingCodeGeneratorOptions>(name);
        if (configuration is not null)
        {
            options.Bind(configuration);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Configuration wins; what it leaves out may come from OPENAI_API_KEY / OPENAI_BASE_URL (Azure: AZURE_OPENAI_*),
        // as the generator will see it, so the validation at start-up judges the same settings.
        options.PostConfigure(o => o.Normalize(Environment.GetEnvironmentVariable));
        options.ValidateOnStart();

        // Singletons keep their HttpClient, so its handler does not rotate: the connection lifetime refreshes DNS instead.
        IHttpClientBuilder http = services.AddHttpClient(httpClientName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .ConfigureHttpClient(static client => client.Timeout = Timeout.InfiniteTimeSpan);

        var builder = new StreamingCodeGeneratorBuilder(services, serviceKey, name, http);
        CircuitBreakerRegistration.Add(services, builder.ResiliencePipelineName, name);
        string sectionPath = (configuration as IConfigurationSection)?.Path ?? nameof(StreamingCodeGenerator);
        services.AddSingleton<IValidateOptions<StreamingCodeGeneratorOptions>>(new StreamingCodeGeneratorOptionsValidator(builder, sectionPath));

        if (serviceKey is null)
        {
            services.AddSingleton(provider => Create(provider, builder, httpClientName));
        }
        else
        {
            services.AddKeyedSingleton(serviceKey, (provider, _) => Create(provider, builder, httpClientName));
        }

        return builder;
    }

    private static StreamingCodeGenerator Create(IServiceProvider services, StreamingCodeGeneratorBuilder builder, string httpClientName)
    {
        StreamingCodeGeneratorOptions options = services.GetRequiredService<IOptionsMonitor<StreamingCodeGeneratorOptions>>().Get(builder.Name);
        GeneratorConnection connection = builder.ChatClientFactory is { } chatClient
            ? GeneratorConnection.ChatClient(chatClient(services))
            : builder.OpenAIChatClientFactory is { } openAIClient
            ? GeneratorConnection.OpenAIClient(openAIClient(services))
            : GeneratorConnection.Endpoint(
                builder.TokenProviderFactory?.Invoke(services),
                services.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName));
        var hostServices = new GeneratorServices(
            services.GetService<ILoggerFactory>(),
            services.GetService<TimeProvider>(),
            services.GetService<IMeterFactory>(),
            CircuitBreaker: CircuitBreakerRegistration.Resolve(services, builder.ResiliencePipelineName, options));
        return StreamingCodeGenerator.Create(connection, options, hostServices);
    }
}
