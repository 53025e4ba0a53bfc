using Microsoft.Extensions.Options;

namespace StreamingCodeGeneration;

/// <summary>
/// Validates <see cref="StreamingCodeGeneratorOptions"/>: the one validator the generator's constructors run and
/// dependency injection registers with <c>ValidateOnStart</c> (hosts can register it too); each failure names the
/// offending option.
/// </summary>
public sealed class StreamingCodeGeneratorOptionsValidator : IValidateOptions<StreamingCodeGeneratorOptions>
{
    private readonly bool _requiresConnection;
    private readonly bool _credentialSupplied;
    private readonly StreamingCodeGeneratorBuilder? _registration;
    private readonly string? _sectionPath;

    /// <summary>Creates a validator for generators that build their own client from <see cref="StreamingCodeGeneratorOptions.Endpoint"/> and <see cref="StreamingCodeGeneratorOptions.ApiKey"/>.</summary>
    public StreamingCodeGeneratorOptionsValidator()
        : this(clientSupplied: false)
    {
    }

    /// <summary>Creates a validator.</summary>
    /// <param name="clientSupplied">
    /// <see langword="true"/> when the host hands the generator a client of its own (an OpenAI <c>ChatClient</c> or an
    /// <c>IChatClient</c>): its endpoint and credentials are the client's, so neither an endpoint nor a key is required.
    /// </param>
    public StreamingCodeGeneratorOptionsValidator(bool clientSupplied)
        : this(requiresConnection: !clientSupplied, credentialSupplied: false)
    {
    }

    /// <param name="requiresConnection">The generator builds its own client from the endpoint (not a caller's client).</param>
    /// <param name="credentialSupplied">An Entra ID token provider stands in for the key.</param>
    private StreamingCodeGeneratorOptionsValidator(bool requiresConnection, bool credentialSupplied)
    {
        _requiresConnection = requiresConnection;
        _credentialSupplied = credentialSupplied;
    }

    /// <summary>
    /// The validator of one dependency-injection registration: it checks only that registration's named options, knows
    /// from the registration whether the host supplied a client or a token provider (decided after registering), and
    /// names each failure by its configuration key (<c>StreamingCodeGenerator:MaxRetries …</c>).
    /// </summary>
    internal StreamingCodeGeneratorOptionsValidator(StreamingCodeGeneratorBuilder registration, string sectionPath)
    {
        _registration = registration;
        _sectionPath = sectionPath;
    }

    /// <summary>The validator for a generator connected this way.</summary>
    internal static StreamingCodeGeneratorOptionsValidator For(GeneratorConnection connection) =>
        new(requiresConnection: connection.BuildsItsOwnClient, credentialSupplied: connection.HasTokenProvider);

    /// <summary>Validates options.</summary>
    /// <param name="name">The options name (a registration's validator checks only its own; otherwise unused).</param>
    /// <param name="options">The options to check.</param>
    /// <returns>Success, or a failure listing every problem.</returns>
    public ValidateOptionsResult Validate(string? name, StreamingCodeGeneratorOptions options)
    {
        if (_registration is null)
        {
            return Validate(options, _requiresConnection, _credentialSupplied);
        }

        if (!string.Equals(name ?? Options.DefaultName, _registration.Name, StringComparison.Ordinal))
        {
            return ValidateOptionsResult.Skip;
        }

        ValidateOptionsResult result = Validate(
            options,
            requiresConnection: !_registration.HasChatClient,
            credentialSupplied: _registration.TokenProviderFactory is not null);
        return result.Failed
            ? ValidateOptionsResult.Fail(result.Failures!.Select(failure => _sectionPath + ":" + failure))
            : result;
    }

    /// <summary>Validates options and throws when they are invalid.</summary>
    /// <exception cref="OptionsValidationException">An option is invalid; the failures name each.</exception>
    internal void ThrowIfInvalid(StreamingCodeGeneratorOptions options)
    {
        ValidateOptionsResult result = Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(StreamingCodeGeneratorOptions), typeof(StreamingCodeGeneratorOptions), result.Failures);
        }
    }

    /// <param name="options">The options.</param>
    /// <param name="requiresConnection">The generator builds its own client from the endpoint (not a caller's client).</param>
    /// <param name="credentialSupplied">An Entra ID token provider stands in for the key.</param>
    private static ValidateOptionsResult Validate(StreamingCodeGeneratorOptions options, bool requiresConnection, bool credentialSupplied)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.Model)} must not be empty.");
        }

        if (requiresConnection)
        {
            bool endpointValid = options.Endpoint is null || (options.Endpoint.IsAbsoluteUri && options.Endpoint.Scheme is "http" or "https");
            if (!endpointValid)
            {
                failures.Add($"{nameof(StreamingCodeGeneratorOptions.Endpoint)} must be an absolute http or https URL such as https://api.openai.com/v1 or http://localhost:11434/v1, not '{options.Endpoint}'.");
            }

            if (options.Provider == ModelProvider.AzureOpenAI)
            {
                if (options.Endpoint is null)
                {
                    failures.Add($"{nameof(StreamingCodeGeneratorOptions.Endpoint)} is required for Azure OpenAI: https://RESOURCE.openai.azure.com/openai/v1/ (or the AZURE_OPENAI_ENDPOINT environment variable).");
                }

                if (string.IsNullOrWhiteSpace(options.ApiKey) && !credentialSupplied)
                {
                    failures.Add($"{nameof(StreamingCodeGeneratorOptions.ApiKey)} is required for Azure OpenAI unless an Entra ID token provider is given (set it, or the AZURE_OPENAI_API_KEY environment variable).");
                }

                if (string.IsNullOrWhiteSpace(options.AzureApiVersion))
                {
                    failures.Add($"{nameof(StreamingCodeGeneratorOptions.AzureApiVersion)} must not be empty.");
                }
            }
            else
            {
                bool anthropic = options.Provider == ModelProvider.Anthropic;
                string host = anthropic ? AnthropicHost : OpenAIHost;
                bool isOwnHost = options.Endpoint is null || (endpointValid && string.Equals(options.Endpoint.Host, host, StringComparison.OrdinalIgnoreCase));
                if (isOwnHost && string.IsNullOrWhiteSpace(options.ApiKey) && !credentialSupplied)
                {
                    failures.Add($"{nameof(StreamingCodeGeneratorOptions.ApiKey)} is required for {host} (set it, or the {(anthropic ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY")} environment variable).");
                }

                if (anthropic && string.Equals(options.Model, StreamingCodeGeneratorOptions.DefaultModel, StringComparison.Ordinal))
                {
                    failures.Add($"{nameof(StreamingCodeGeneratorOptions.Model)} is still the default {StreamingCodeGeneratorOptions.DefaultModel}, an OpenAI model: set it to a Claude model for {nameof(ModelProvider.Anthropic)} (for example claude-sonnet-4-5).");
                }

                if (credentialSupplied && options.Provider is ModelProvider.Anthropic or ModelProvider.OpenAIResponses)
                {
                    failures.Add($"{nameof(StreamingCodeGeneratorOptions.Provider)} {options.Provider} authenticates with {nameof(StreamingCodeGeneratorOptions.ApiKey)}; an Entra ID token provider is for {nameof(ModelProvider.AzureOpenAI)} and {nameof(ModelProvider.OpenAI)}.");
                }
            }
        }

        if (options.ThinkingBudgetTokens is int budget)
        {
            if (options.Provider != ModelProvider.Anthropic)
            {
                failures.Add($"{nameof(StreamingCodeGeneratorOptions.ThinkingBudgetTokens)} is Claude's extended thinking: it applies only to {nameof(StreamingCodeGeneratorOptions.Provider)} {nameof(ModelProvider.Anthropic)}, not {options.Provider}.");
            }

            if (budget < MinThinkingBudgetTokens)
            {
                failures.Add($"{nameof(StreamingCodeGeneratorOptions.ThinkingBudgetTokens)} must be at least {MinThinkingBudgetTokens} (Anthropic's minimum), not {budget}.");
            }

            int limit = options.MaxOutputTokens ?? AnthropicRequestWriter.DefaultMaxTokens(options.Model ?? string.Empty);
            if (budget >= limit)
            {
                failures.Add($"{nameof(StreamingCodeGeneratorOptions.ThinkingBudgetTokens)} ({budget}) must be less than the output limit ({limit}, {(options.MaxOutputTokens is null ? "the default for " + options.Model : nameof(StreamingCodeGeneratorOptions.MaxOutputTokens))}): raise {nameof(StreamingCodeGeneratorOptions.MaxOutputTokens)}.");
            }

            if (options.Temperature is not null)
            {
                failures.Add($"{nameof(StreamingCodeGeneratorOptions.Temperature)} cannot be combined with extended thinking ({nameof(StreamingCodeGeneratorOptions.ThinkingBudgetTokens)}): Anthropic refuses both together; leave {nameof(StreamingCodeGeneratorOptions.Temperature)} unset.");
            }
        }

        if (options.Provider == ModelProvider.OpenAIResponses && options.MaxOutputTokens is < MinResponsesOutputTokens and > 0)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.MaxOutputTokens)} must be at least {MinResponsesOutputTokens} for OpenAI's Responses API, not {options.MaxOutputTokens}.");
        }

        if (credentialSupplied && options.Endpoint is { IsAbsoluteUri: true, Scheme: "http", IsLoopback: false })
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.Endpoint)} must be https when an Entra ID token provider is used (bearer tokens are not sent in the clear), not '{options.Endpoint}'.");
        }

        if (!Enum.IsDefined(options.Provider))
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.Provider)} has an unknown value {options.Provider}.");
        }

        if (options.ApiKey is { } key && ContainsControlCharacter(key))
        {
            // Never echo the key: a CR or LF in it would inject a header into every request.
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.ApiKey)} contains a control character (such as a line break); surrounding white space is trimmed, but a key may not contain one.");
        }

        if (options.SystemPrompt is null)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.SystemPrompt)} must not be null (use an empty string for none).");
        }

        if (options.Temperature is float temperature && !(temperature >= 0 && temperature <= 2))
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.Temperature)} must be between 0 and 2, not {options.Temperature}.");
        }

        if (options.MaxOutputTokens is <= 0)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.MaxOutputTokens)} must be positive, not {options.MaxOutputTokens}.");
        }

        if (options.MaxEventSize < 1024)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.MaxEventSize)} must be at least 1024 bytes, not {options.MaxEventSize}.");
        }

        if (options.MaxRetries < 0)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.MaxRetries)} must not be negative, not {options.MaxRetries}.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.RetryBaseDelay)} must not be negative, not {options.RetryBaseDelay}.");
        }

        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.RetryMaxDelay)} ({options.RetryMaxDelay}) must not be shorter than {nameof(StreamingCodeGeneratorOptions.RetryBaseDelay)} ({options.RetryBaseDelay}).");
        }

        if (options.RetryMaxDelay > StreamingCodeGeneratorOptions.MaxTimerDelay)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.RetryMaxDelay)} must be at most {StreamingCodeGeneratorOptions.MaxTimerDelay} (the longest timer), not {options.RetryMaxDelay}.");
        }

        if (options.FirstChunkTimeout is TimeSpan firstChunk)
        {
            CheckTimeout(firstChunk, nameof(StreamingCodeGeneratorOptions.FirstChunkTimeout), failures);
        }

        CheckTimeout(options.IdleTimeout, nameof(StreamingCodeGeneratorOptions.IdleTimeout), failures);
        CheckTimeout(options.TotalTimeout, nameof(StreamingCodeGeneratorOptions.TotalTimeout), failures);
        if (!Enum.IsDefined(options.MidStreamRecovery))
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.MidStreamRecovery)} has an unknown value {options.MidStreamRecovery}.");
        }

        if (!Enum.IsDefined(options.Granularity))
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.Granularity)} has an unknown value {options.Granularity}.");
        }

        if (options.MinChunkCharacters < 0)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.MinChunkCharacters)} must not be negative, not {options.MinChunkCharacters}.");
        }

        if (options.MinChunkCharacters > 0 && (options.MaxChunkDelay <= TimeSpan.Zero || options.MaxChunkDelay > StreamingCodeGeneratorOptions.MaxTimerDelay))
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.MaxChunkDelay)} must be positive and at most {StreamingCodeGeneratorOptions.MaxTimerDelay} when {nameof(StreamingCodeGeneratorOptions.MinChunkCharacters)} is set, not {options.MaxChunkDelay}.");
        }

        if (options.ProgressInterval < TimeSpan.Zero)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.ProgressInterval)} must not be negative, not {options.ProgressInterval}.");
        }

        if (options.CircuitBreaker is null)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.CircuitBreaker)} must not be null.");
        }
        else
        {
            options.CircuitBreaker.AddFailures(nameof(StreamingCodeGeneratorOptions.CircuitBreaker), failures);
        }

        if (options.MaxPromptTokens is <= 0)
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.MaxPromptTokens)} must be positive, not {options.MaxPromptTokens}.");
        }

        if (options.TokenizerEncoding is { } encoding && !Enum.IsDefined(encoding))
        {
            failures.Add($"{nameof(StreamingCodeGeneratorOptions.TokenizerEncoding)} has an unknown value {encoding}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal const string OpenAIHost = "api.openai.com";

    internal const string AnthropicHost = "api.anthropic.com";

    /// <summary>The smallest thinking budget Anthropic accepts.</summary>
    internal const int MinThinkingBudgetTokens = 1024;

    /// <summary>The smallest <c>max_output_tokens</c> OpenAI's Responses API accepts.</summary>
    internal const int MinResponsesOutputTokens = 16;

    private static bool ContainsControlCharacter(string value)
    {
        foreach (char c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }

    private static void CheckTimeout(TimeSpan value, string name, List<string> failures)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            failures.Add($"{name} must be positive (or Timeout.InfiniteTimeSpan to disable it), not {value}.");
        }
    }
}
