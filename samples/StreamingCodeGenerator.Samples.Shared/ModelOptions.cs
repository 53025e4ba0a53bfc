using System.CommandLine;
using System.CommandLine.Parsing;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace StreamingCodeGeneration.Samples;

/// <summary>
/// The options every command-line sample takes to reach a model (<c>--model</c>, <c>--endpoint</c>, <c>--provider</c>,
/// <c>--timeout</c>, <c>--max-tokens</c>, <c>--temperature</c>) and their environment fallbacks, turned into
/// <see cref="StreamingCodeGeneratorOptions"/>. The API key comes only from <see cref="ApiKeyVariable"/> (Azure OpenAI:
/// <see cref="AzureApiKeyVariable"/>, Anthropic: <see cref="AnthropicApiKeyVariable"/>) or the user secrets standing in for it (<see cref="WithUserSecrets"/>), never
/// from the command line (where it would land in shell history and process listings), and is never printed.
/// </summary>
public sealed class ModelOptions
{
    /// <summary>The environment variable that holds the API key.</summary>
    public const string ApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>The environment variable that holds the endpoint when <c>--endpoint</c> is not given.</summary>
    public const string BaseUrlVariable = "OPENAI_BASE_URL";

    /// <summary>The environment variable that holds the Azure OpenAI key (with <c>--provider azure</c>).</summary>
    public const string AzureApiKeyVariable = "AZURE_OPENAI_API_KEY";

    /// <summary>The environment variable that holds the Azure OpenAI endpoint when <c>--endpoint</c> is not given (with <c>--provider azure</c>).</summary>
    public const string AzureEndpointVariable = "AZURE_OPENAI_ENDPOINT";

    /// <summary>The environment variable that holds the Anthropic key (with <c>--provider anthropic</c>).</summary>
    public const string AnthropicApiKeyVariable = "ANTHROPIC_API_KEY";

    /// <summary>
    /// The environment variable that holds Anthropic's base URL when <c>--endpoint</c> is not given (with <c>--provider
    /// anthropic</c>); as in Anthropic's SDKs it names the host, and <c>/v1</c> is added.
    /// </summary>
    public const string AnthropicBaseUrlVariable = "ANTHROPIC_BASE_URL";

    /// <summary>The model used with <c>--provider anthropic</c> when <c>--model</c> is not given.</summary>
    public const string DefaultAnthropicModel = "claude-sonnet-4-5";

    /// <summary>The shortest <c>--timeout</c>, in seconds: one millisecond.</summary>
    public const double MinTimeoutSeconds = 0.001;

    /// <summary>The longest <c>--timeout</c>, in seconds: one day.</summary>
    public const double MaxTimeoutSeconds = 86_400;

    /// <summary>The model used when <c>--model</c> is not given.</summary>
    public const string DefaultModel = "gpt-4o-mini";

    /// <summary>Creates the options.</summary>
    public ModelOptions()
    {
        Model = new Option<string>("--model")
        {
            Description = $"The model (or Azure deployment) name (default: {DefaultModel}; {DefaultAnthropicModel} with --provider anthropic).",
            HelpName = "name",
        };
        Endpoint = new Option<Uri?>("--endpoint")
        {
            Description = $"Base URL of an OpenAI-compatible API, up to /v1 (default: ${BaseUrlVariable}, else OpenAI).",
            HelpName = "url",
            CustomParser = ParseEndpoint,
        };
        Provider = new Option<ModelProvider>("--provider")
        {
            Description = $"openai (the default: OpenAI's Chat Completions and compatible servers such as Ollama), responses (OpenAI's Responses API: " +
                $"the *-codex models, reasoning summaries), anthropic (Claude: ${AnthropicApiKeyVariable}, ${AnthropicBaseUrlVariable}) or azure " +
                $"(Azure OpenAI: ${AzureEndpointVariable}, ${AzureApiKeyVariable}, --model is the deployment).",
            HelpName = "openai|responses|anthropic|azure",
            CustomParser = ParseProvider,
        };
        Provider.CompletionSources.Add("openai", "responses", "anthropic", "azure");
        Timeout = new Option<TimeSpan?>("--timeout")
        {
            Description = $"Longest time for one model answer, in seconds, retries included: {MinTimeoutSeconds} to {MaxTimeoutSeconds}, fractions allowed (default: 600).",
            HelpName = "seconds",
            CustomParser = result => CommandLineValues.Seconds(result, MinTimeoutSeconds, MaxTimeoutSeconds),
        };
        MaxTokens = new Option<int?>("--max-tokens")
        {
            Description = "Output token limit per answer, a whole number from 1 (default: the server's).",
            HelpName = "n",
            CustomParser = result => CommandLineValues.WholeNumber(result, 1, int.MaxValue),
        };
        Temperature = new Option<float?>("--temperature")
        {
            Description = "Sampling temperature, 0 to 2 (default: the server's).",
            HelpName = "t",
            CustomParser = result => (float?)CommandLineValues.Number(result, 0, 2, "0.7"),
        };
    }

    /// <summary>Gets <c>--model</c>.</summary>
    public Option<string> Model { get; }

    /// <summary>Gets <c>--endpoint</c>.</summary>
    public Option<Uri?> Endpoint { get; }

    /// <summary>Gets <c>--provider</c>: <see cref="StreamingCodeGeneratorOptions.Provider"/>, <c>openai</c>, <c>responses</c>, <c>anthropic</c> or <c>azure</c>.</summary>
    public Option<ModelProvider> Provider { get; }

    /// <summary>Gets <c>--timeout</c>, given in seconds (<see cref="MinTimeoutSeconds"/> to <see cref="MaxTimeoutSeconds"/>, fractions allowed): <see cref="StreamingCodeGeneratorOptions.TotalTimeout"/>.</summary>
    public Option<TimeSpan?> Timeout { get; }

    /// <summary>Gets <c>--max-tokens</c>: <see cref="StreamingCodeGeneratorOptions.MaxOutputTokens"/>.</summary>
    public Option<int?> MaxTokens { get; }

    /// <summary>Gets <c>--temperature</c>: <see cref="StreamingCodeGeneratorOptions.Temperature"/>.</summary>
    public Option<float?> Temperature { get; }

    /// <summary>Adds the options to a command.</summary>
    /// <param name="command">The command, usually the root command.</param>
    /// <exception cref="ArgumentNullException"><paramref name="command"/> is <see langword="null"/>.</exception>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Model);
        command.Add(Endpoint);
        command.Add(Provider);
        command.Add(Timeout);
        command.Add(MaxTokens);
        command.Add(Temperature);
    }

    /// <summary>
    /// Builds the generator settings from the parsed command line and the environment: the endpoint from
    /// <c>--endpoint</c>, else <see cref="BaseUrlVariable"/> (Azure OpenAI: <see cref="AzureEndpointVariable"/>); the key
    /// from <see cref="ApiKeyVariable"/> (Azure OpenAI: <see cref="AzureApiKeyVariable"/>).
    /// </summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="environment">Reads an environment variable; <see langword="null"/> for the process environment.</param>
    /// <returns>The settings, ready for <see cref="StreamingCodeGenerator"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parseResult"/> is <see langword="null"/>.</exception>
    /// <exception cref="ConfigurationException">
    /// Neither a key nor an endpoint is set, Azure OpenAI has a key but no endpoint, or the endpoint variable is not an
    /// absolute http(s) URL; the message says what to set.
    /// </exception>
    public StreamingCodeGeneratorOptions CreateOptions(ParseResult parseResult, Func<string, string?>? environment = null)
    {
        if (TryCreateOptions(parseResult, environment, out StreamingCodeGeneratorOptions? options))
        {
            return options;
        }

        throw parseResult.GetValue(Provider) switch
        {
            ModelProvider.AzureOpenAI => new ConfigurationException(
                $"No Azure OpenAI resource to talk to: set {AzureEndpointVariable} (or pass --endpoint) to https://RESOURCE.openai.azure.com/openai/v1/ and {AzureApiKeyVariable} to its key."),
            ModelProvider.Anthropic => new ConfigurationException(
                $"No Claude to talk to: set {AnthropicApiKeyVariable} to use Anthropic's API, or {AnthropicBaseUrlVariable} (or pass --endpoint) for another Messages API server."),
            _ => new ConfigurationException(
                $"No model to talk to: set {ApiKeyVariable} to use OpenAI, or set {BaseUrlVariable} (or pass --endpoint) " +
                "to use an OpenAI-compatible server such as http://localhost:11434/v1."),
        };
    }

    /// <summary>
    /// Builds the generator settings like <see cref="CreateOptions"/>, but reports "nothing configured" (neither a key
    /// nor an endpoint for the chosen provider) by returning <see langword="false"/> instead of throwing, so a host can
    /// fall back (the console sample runs its offline demo then).
    /// </summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="environment">Reads an environment variable; <see langword="null"/> for the process environment.</param>
    /// <param name="options">The settings, when a key or an endpoint was found.</param>
    /// <returns><see langword="true"/> when a key or an endpoint was found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parseResult"/> is <see langword="null"/>.</exception>
    /// <exception cref="ConfigurationException">
    /// The endpoint variable is not an absolute http(s) URL, or Azure OpenAI has a key but no endpoint; the message says what to set.
    /// </exception>
    public bool TryCreateOptions(ParseResult parseResult, Func<string, string?>? environment, [NotNullWhen(true)] out StreamingCodeGeneratorOptions? options)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        environment ??= Environment.GetEnvironmentVariable;
        ModelProvider provider = parseResult.GetValue(Provider);
        bool azure = provider == ModelProvider.AzureOpenAI;
        bool anthropic = provider == ModelProvider.Anthropic;
        string endpointVariable = azure ? AzureEndpointVariable : anthropic ? AnthropicBaseUrlVariable : BaseUrlVariable;
        string keyVariable = GetApiKeyVariable(parseResult);

        Uri? endpoint = parseResult.GetValue(Endpoint);
        if (endpoint is null && environment(endpointVariable) is { Length: > 0 } baseUrl)
        {
            endpoint = TryParseHttpUri(baseUrl.Trim())
                ?? throw new ConfigurationException(azure
                    ? $"{AzureEndpointVariable} must be an absolute https URL such as https://RESOURCE.openai.azure.com/openai/v1/."
                    : $"{endpointVariable} must be an absolute http or https URL such as {(anthropic ? "https://api.anthropic.com" : "http://localhost:11434/v1")}.");
            if (anthropic)
            {
                endpoint = WithVersionSegment(endpoint);
            }
        }

        string? apiKey = environment(keyVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            apiKey = null;
        }

        options = null;
        if (apiKey is null && endpoint is null)
        {
            return false;
        }

        if (azure && endpoint is null)
        {
            throw new ConfigurationException(
                $"Azure OpenAI needs its endpoint: set {AzureEndpointVariable} (or pass --endpoint) to https://RESOURCE.openai.azure.com/openai/v1/.");
        }

        options = new StreamingCodeGeneratorOptions
        {
            Endpoint = endpoint,
            Provider = provider,
            ApiKey = apiKey,
            Model = parseResult.GetValue(Model) is { Length: > 0 } model ? model : anthropic ? DefaultAnthropicModel : DefaultModel,
            MaxOutputTokens = parseResult.GetValue(MaxTokens),
            Temperature = parseResult.GetValue(Temperature),
        };
        if (parseResult.GetValue(Timeout) is { } timeout)
        {
            options.TotalTimeout = timeout;
        }

        return true;
    }

    /// <summary>Gets the name of the variable that holds the key for the provider chosen on the command line, for messages.</summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <returns>
    /// <see cref="ApiKeyVariable"/>, <see cref="AzureApiKeyVariable"/> with <c>--provider azure</c>, or
    /// <see cref="AnthropicApiKeyVariable"/> with <c>--provider anthropic</c>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="parseResult"/> is <see langword="null"/>.</exception>
    public string GetApiKeyVariable(ParseResult parseResult)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        return parseResult.GetValue(Provider) switch
        {
            ModelProvider.AzureOpenAI => AzureApiKeyVariable,
            ModelProvider.Anthropic => AnthropicApiKeyVariable,
            _ => ApiKeyVariable,
        };
    }

    /// <summary>
    /// Returns an environment reader that falls back to the .NET user secrets of <paramref name="assembly"/> (its
    /// <c>UserSecretsId</c>; <c>dotnet user-secrets set OPENAI_API_KEY sk-…</c>) for a variable that is unset or
    /// empty, so a key can live outside the shell's environment and history. Environment variables win.
    /// </summary>
    /// <param name="assembly">The application's assembly, which carries the <c>UserSecretsId</c>.</param>
    /// <param name="environment">Reads an environment variable; <see langword="null"/> for the process environment.</param>
    /// <returns>The reader, for <see cref="CreateOptions"/> and <see cref="TryCreateOptions"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="assembly"/> is <see langword="null"/>.</exception>
    /// <exception cref="ConfigurationException">The secrets file exists but is not valid JSON.</exception>
    public static Func<string, string?> WithUserSecrets(Assembly assembly, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        environment ??= Environment.GetEnvironmentVariable;
        IConfiguration secrets;
        try
        {
            secrets = new ConfigurationBuilder().AddUserSecrets(assembly, optional: true).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new ConfigurationException("The user secrets file is not valid JSON: " + CommandLineErrors.OneLine(ex.Message), ex);
        }

        return name => environment(name) is { Length: > 0 } value ? value : secrets[name];
    }

    private static Uri? ParseEndpoint(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return null;
        }

        string text = result.Tokens[0].Value;
        Uri? uri = TryParseHttpUri(text);
        if (uri is null)
        {
            result.AddError($"--endpoint must be an absolute http or https URL such as http://localhost:11434/v1, not {CommandLineValues.Quote(CommandLineValues.WithoutUserInfo(text))}.");
        }

        return uri;
    }

    private static ModelProvider ParseProvider(ArgumentResult result)
    {
        if (result.Tokens.Count == 0)
        {
            return ModelProvider.OpenAI;
        }

        string text = result.Tokens[0].Value;
        if (text.Equals("openai", StringComparison.OrdinalIgnoreCase))
        {
            return ModelProvider.OpenAI;
        }

        if (text.Equals("azure", StringComparison.OrdinalIgnoreCase) || text.Equals("azureopenai", StringComparison.OrdinalIgnoreCase))
        {
            return ModelProvider.AzureOpenAI;
        }

        if (text.Equals("responses", StringComparison.OrdinalIgnoreCase) || text.Equals("openai-responses", StringComparison.OrdinalIgnoreCase))
        {
            return ModelProvider.OpenAIResponses;
        }

        if (text.Equals("anthropic", StringComparison.OrdinalIgnoreCase) || text.Equals("claude", StringComparison.OrdinalIgnoreCase))
        {
            return ModelProvider.Anthropic;
        }

        result.AddError($"--provider must be openai, responses, anthropic or azure, not {CommandLineValues.Quote(text)}.");
        return ModelProvider.OpenAI;
    }

    // Anthropic's SDKs take the host as their base URL and add /v1; the library's endpoint includes the version.
    private static Uri WithVersionSegment(Uri endpoint) =>
        endpoint.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.Ordinal)
            ? endpoint
            : new Uri(endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/v1");

    private static Uri? TryParseHttpUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;
}
