using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace StreamingCodeGeneration.Samples;

/// <summary>
/// The options every command-line sample takes to reach a model (<c>--model</c>, <c>--endpoint</c>, <c>--timeout</c>,
/// <c>--max-tokens</c>, <c>--temperature</c>) and their environment fallbacks, turned into
/// <see cref="StreamingCodeGeneratorOptions"/>. The API key comes only from <see cref="ApiKeyVariable"/>, never from the
/// command line (where it would land in shell history and process listings), and is never printed.
/// </summary>
public sealed class ModelOptions
{
    /// <summary>The environment variable that holds the API key.</summary>
    public const string ApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>The environment variable that holds the endpoint when <c>--endpoint</c> is not given.</summary>
    public const string BaseUrlVariable = "OPENAI_BASE_URL";

    /// <summary>The model used when <c>--model</c> is not given.</summary>
    public const string DefaultModel = "gpt-4o-mini";

    /// <summary>Creates the options.</summary>
    public ModelOptions()
    {
        Model = new Option<string>("--model")
        {
            Description = "The model (or Azure deployment) name.",
            HelpName = "name",
            DefaultValueFactory = _ => DefaultModel,
        };
        Endpoint = new Option<Uri?>("--endpoint")
        {
            Description = $"Base URL of an OpenAI-compatible API, up to /v1 (default: ${BaseUrlVariable}, else OpenAI).",
            HelpName = "url",
            CustomParser = ParseEndpoint,
        };
        Timeout = new Option<int?>("--timeout")
        {
            Description = "Longest time for one model answer, in seconds, retries included (default: 600).",
            HelpName = "seconds",
        };
        Timeout.Validators.Add(result => RequirePositive(result, Timeout));
        MaxTokens = new Option<int?>("--max-tokens")
        {
            Description = "Output token limit per answer (default: the server's).",
            HelpName = "n",
        };
        MaxTokens.Validators.Add(result => RequirePositive(result, MaxTokens));
        Temperature = new Option<float?>("--temperature")
        {
            Description = "Sampling temperature, 0 to 2 (default: the server's).",
            HelpName = "t",
        };
        Temperature.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<float?>() is { } value && (value < 0 || value > 2 || float.IsNaN(value)))
            {
                result.AddError("--temperature must be between 0 and 2.");
            }
        });
    }

    /// <summary>Gets <c>--model</c>.</summary>
    public Option<string> Model { get; }

    /// <summary>Gets <c>--endpoint</c>.</summary>
    public Option<Uri?> Endpoint { get; }

    /// <summary>Gets <c>--timeout</c>, in seconds: <see cref="StreamingCodeGeneratorOptions.TotalTimeout"/>.</summary>
    public Option<int?> Timeout { get; }

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
        command.Add(Timeout);
        command.Add(MaxTokens);
        command.Add(Temperature);
    }

    /// <summary>
    /// Builds the generator settings from the parsed command line and the environment: the endpoint from
    /// <c>--endpoint</c>, else <see cref="BaseUrlVariable"/>; the key from <see cref="ApiKeyVariable"/>.
    /// </summary>
    /// <param name="parseResult">The parsed command line.</param>
    /// <param name="environment">Reads an environment variable; <see langword="null"/> for the process environment.</param>
    /// <returns>The settings, ready for <see cref="StreamingCodeGenerator"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parseResult"/> is <see langword="null"/>.</exception>
    /// <exception cref="ConfigurationException">
    /// Neither a key nor an endpoint is set, or <see cref="BaseUrlVariable"/> is not an absolute http(s) URL; the message
    /// says what to set.
    /// </exception>
    public StreamingCodeGeneratorOptions CreateOptions(ParseResult parseResult, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        environment ??= Environment.GetEnvironmentVariable;

        Uri? endpoint = parseResult.GetValue(Endpoint);
        if (endpoint is null && environment(BaseUrlVariable) is { Length: > 0 } baseUrl)
        {
            endpoint = TryParseHttpUri(baseUrl)
                ?? throw new ConfigurationException($"{BaseUrlVariable} must be an absolute http or https URL such as http://localhost:11434/v1.");
        }

        string? apiKey = environment(ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            apiKey = null;
        }

        if (apiKey is null && endpoint is null)
        {
            throw new ConfigurationException(
                $"No model to talk to: set {ApiKeyVariable} to use OpenAI, or set {BaseUrlVariable} (or pass --endpoint) " +
                "to use an OpenAI-compatible server such as http://localhost:11434/v1.");
        }

        var options = new StreamingCodeGeneratorOptions
        {
            Endpoint = endpoint,
            ApiKey = apiKey,
            Model = parseResult.GetValue(Model) is { Length: > 0 } model ? model : DefaultModel,
            MaxOutputTokens = parseResult.GetValue(MaxTokens),
            Temperature = parseResult.GetValue(Temperature),
        };
        if (parseResult.GetValue(Timeout) is { } seconds)
        {
            options.TotalTimeout = TimeSpan.FromSeconds(seconds);
        }

        return options;
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
            result.AddError($"--endpoint must be an absolute http or https URL such as http://localhost:11434/v1, not '{text}'.");
        }

        return uri;
    }

    private static Uri? TryParseHttpUri(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : null;

    private static void RequirePositive(OptionResult result, Option<int?> option)
    {
        if (result.GetValueOrDefault<int?>() is { } value && value <= 0)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be positive, not {value}."));
        }
    }
}
