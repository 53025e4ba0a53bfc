namespace StreamingCodeGeneration;

/// <summary>Settings for a <see cref="StreamingCodeGenerator"/>. Validated when the generator is created.</summary>
public sealed class StreamingCodeGeneratorOptions
{
    /// <summary>The system prompt used when neither the request nor the options give one.</summary>
    public const string DefaultSystemPrompt =
        "You are an expert software engineer. Answer with working, idiomatic code in fenced Markdown code blocks " +
        "whose opening fence names the language (for example ```python), followed by a concise explanation of how " +
        "the code works and any important trade-offs. Keep the explanation outside the code blocks.";

    /// <summary>The OpenAI endpoint used when <see cref="Endpoint"/> is not set.</summary>
    public static readonly Uri OpenAIEndpoint = new("https://api.openai.com/v1");

    /// <summary>The Anthropic endpoint used when <see cref="Endpoint"/> is not set and <see cref="Provider"/> is <see cref="ModelProvider.Anthropic"/>.</summary>
    public static readonly Uri AnthropicEndpoint = new("https://api.anthropic.com/v1");

    /// <summary>
    /// Gets or sets the base URL of the API, up to and including the version segment:
    /// <c>https://api.openai.com/v1</c>, Azure OpenAI's <c>https://RESOURCE.openai.azure.com/openai/v1/</c>,
    /// Ollama's <c>http://localhost:11434/v1</c>, vLLM's or LM Studio's <c>http://localhost:PORT/v1</c>, Anthropic's
    /// <c>https://api.anthropic.com/v1</c>.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>, meaning <see cref="AnthropicEndpoint"/> for <see cref="ModelProvider.Anthropic"/>
    /// and <see cref="OpenAIEndpoint"/> otherwise (unless the environment names one: see <see cref="Provider"/>).
    /// </value>
    public Uri? Endpoint { get; set; }

    /// <summary>
    /// Gets or sets which kind of service the endpoint is, and so its wire format and the environment variables read
    /// for what the options leave unset: <c>OPENAI_BASE_URL</c> and <c>OPENAI_API_KEY</c> for
    /// <see cref="ModelProvider.OpenAI"/> and <see cref="ModelProvider.OpenAIResponses"/>, <c>AZURE_OPENAI_ENDPOINT</c> and
    /// <c>AZURE_OPENAI_API_KEY</c> for <see cref="ModelProvider.AzureOpenAI"/>, <c>ANTHROPIC_BASE_URL</c> (with <c>/v1</c>
    /// added, as Anthropic's SDKs do) and <c>ANTHROPIC_API_KEY</c> for <see cref="ModelProvider.Anthropic"/>.
    /// </summary>
    /// <value>The default is <see cref="ModelProvider.OpenAI"/> (OpenAI's Chat Completions and OpenAI-compatible servers).</value>
    public ModelProvider Provider { get; set; }

    /// <summary>
    /// Gets or sets the <c>api-version</c> of Azure OpenAI's classic <c>/openai/deployments/…</c> endpoint. Used only
    /// when <see cref="Provider"/> is <see cref="ModelProvider.AzureOpenAI"/> and the endpoint is not a v1 endpoint.
    /// </summary>
    /// <value>The default is <c>2024-10-21</c> (generally available, with streamed usage).</value>
    public string AzureApiVersion { get; set; } = DefaultAzureApiVersion;

    /// <summary>The <c>api-version</c> used for Azure OpenAI's classic endpoint unless <see cref="AzureApiVersion"/> says otherwise.</summary>
    public const string DefaultAzureApiVersion = "2024-10-21";

    /// <summary>
    /// Gets or sets the API key, sent as a bearer token (for Azure OpenAI in the <c>api-key</c> header, for Anthropic in
    /// <c>x-api-key</c>). Required for OpenAI's and Anthropic's own endpoints; local servers may need none.
    /// It never appears in logs, exception messages or <see cref="object.ToString"/>.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public string? ApiKey { get; set; }

    /// <summary>Gets or sets the model (or Azure deployment) name. <see cref="ModelProvider.Anthropic"/> needs a Claude model set here.</summary>
    /// <value>The default is <c>gpt-4o-mini</c>.</value>
    public string Model { get; set; } = DefaultModel;

    /// <summary>The default <see cref="Model"/>.</summary>
    internal const string DefaultModel = "gpt-4o-mini";

    /// <summary>Gets or sets the system prompt sent when a request does not give one.</summary>
    /// <value>The default is <see cref="DefaultSystemPrompt"/>, which asks for fenced code plus a concise explanation.</value>
    public string SystemPrompt { get; set; } = DefaultSystemPrompt;

    /// <summary>Gets or sets the sampling temperature (0–2).</summary>
    /// <value>The default is <see langword="null"/>: the server's default.</value>
    public float? Temperature { get; set; }

    /// <summary>
    /// Gets or sets the output token limit (reasoning included). OpenAI's Responses API requires at least 16. Anthropic
    /// requires a limit: without one a request asks for 16384 tokens (8192 for Claude 3.5 models, 4096 for Claude 3).
    /// </summary>
    /// <value>The default is <see langword="null"/>: the server's default (Anthropic: see above).</value>
    public int? MaxOutputTokens { get; set; }

    /// <summary>
    /// Gets or sets the token budget of Claude's extended thinking (<see cref="ModelProvider.Anthropic"/> only): when set,
    /// Claude thinks before it answers and streams its thinking, which counts as activity for the timeouts and is
    /// delivered as <see cref="ChunkKind.Reasoning"/> chunks when <see cref="IncludeReasoning"/> is on. At least 1024 and
    /// less than the output limit; thinking cannot be combined with a <see cref="Temperature"/>, and the thinking tokens
    /// are billed as output.
    /// </summary>
    /// <value>The default is <see langword="null"/>: no extended thinking.</value>
    public int? ThinkingBudgetTokens { get; set; }

    /// <summary>
    /// Gets or sets whether to ask for server-reported usage (<c>stream_options.include_usage</c>). A server that
    /// rejects the option is asked once more without it, and <see cref="StreamStats.UsageRequested"/> then says so.
    /// OpenAI's Responses API and Anthropic's Messages API always report usage, so it changes nothing there.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool IncludeUsage { get; set; } = true;

    /// <summary>Gets or sets the largest server-sent event accepted, in bytes; a larger one fails with <see cref="MalformedResponseException"/>.</summary>
    /// <value>The default is 4 MiB.</value>
    public int MaxEventSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Gets or sets how many more attempts a generation may make (0 disables retries): retries of transient failures
    /// before the first content and, with <see cref="MidStreamRecovery.Continue"/>, continuations after a break, in all.
    /// </summary>
    /// <value>The default is 3.</value>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets or sets the first retry's base delay; later retries and continuations double it, with jitter.</summary>
    /// <value>The default is 1 second.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the longest wait between attempts, <c>Retry-After</c> included.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the longest wait from sending a request to its first content (answer text or, from models that
    /// stream it, reasoning). A timeout before the first chunk counts as a failed attempt and is retried.
    /// <see cref="Timeout.InfiniteTimeSpan"/>, or anything longer than the timer limit of about 49 days, disables it.
    /// </summary>
    /// <value>
    /// The default is <see langword="null"/>: 60 seconds, or 5 minutes for models known to reason silently before they
    /// answer (OpenAI's o-series and GPT-5, DeepSeek R1, QwQ…), whose first token can take minutes and whose retry
    /// would bill the reasoning again.
    /// </value>
    public TimeSpan? FirstChunkTimeout { get; set; }

    /// <summary>
    /// Gets or sets the longest gap between two content chunks. Keep-alive comments and empty chunks do not reset it.
    /// After the first chunk it ends the stream. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the limit on the whole generation, retries and waits included. <see cref="Timeout.InfiniteTimeSpan"/> disables it.
    /// </summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets what happens when a stream breaks after text was delivered.</summary>
    /// <value>The default is <see cref="StreamingCodeGeneration.MidStreamRecovery.None"/>.</value>
    public MidStreamRecovery MidStreamRecovery { get; set; } = MidStreamRecovery.None;

    /// <summary>
    /// Gets or sets the circuit breaker this generator's generations share (with dependency injection, every generator of
    /// the registration): once too many attempts fail, generations fail at once with <see cref="CircuitOpenException"/>
    /// and nothing is sent until a probe gets through. Bound from the <c>CircuitBreaker</c> configuration section.
    /// </summary>
    /// <value>The default is on, opening when half of at least 100 attempts in 30 seconds fail, for 5 seconds (see <see cref="CircuitBreakerOptions"/>).</value>
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    /// <summary>Gets or sets a callback invoked before each retry (after <see cref="StreamStats.Status"/> became <see cref="StreamStatus.Retrying"/>).</summary>
    /// <value>The default is <see langword="null"/>.</value>
    public Func<RetryNotification, ValueTask>? OnRetry { get; set; }

    /// <summary>
    /// Gets or sets whether the model's reasoning (<c>reasoning_content</c>, <c>reasoning</c>, Mistral's <c>thinking</c>
    /// parts, the Responses API's reasoning summaries, Claude's thinking) is yielded as chunks of kind
    /// <see cref="ChunkKind.Reasoning"/>. With <see cref="ModelProvider.OpenAIResponses"/> it also asks a model known to
    /// reason (o-series, GPT-5, codex) for a reasoning summary (<c>reasoning.summary: auto</c>), without which the API
    /// streams none; OpenAI may require a verified organization for summaries. They are never part of the answer text,
    /// the code blocks, <see cref="CodeGenerationException.PartialText"/> or <see cref="StreamStats.TokenCount"/>.
    /// Reasoning counts as activity for the first-chunk and idle timeouts either way, and
    /// <see cref="StreamStats.ReasoningCharacterCount"/> counts it either way.
    /// </summary>
    /// <value>The default is <see langword="false"/>.</value>
    public bool IncludeReasoning { get; set; }

    /// <summary>
    /// Gets or sets how often a request's <see cref="CodeGenerationRequest.Progress"/> hears of the stats at most (it
    /// always hears of a retry and of the end), so a UI thread is not flooded by thousands of chunks.
    /// </summary>
    /// <value>The default is 100 milliseconds.</value>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets how text is cut into chunks.</summary>
    /// <value>The default is <see cref="ChunkGranularity.Delta"/>.</value>
    public ChunkGranularity Granularity { get; set; } = ChunkGranularity.Delta;

    /// <summary>
    /// Gets or sets the fewest characters per chunk, for hosts that repaint less often: consecutive chunks of the same
    /// kind and block are merged until they reach it (a chunk never spans code and explanation). 0 turns merging off.
    /// </summary>
    /// <value>The default is 0 (off).</value>
    public int MinChunkCharacters { get; set; }

    /// <summary>
    /// Gets or sets the longest time merging may hold text back: a smaller chunk is delivered once its first
    /// character has waited this long. Used only when <see cref="MinChunkCharacters"/> is positive.
    /// </summary>
    /// <value>The default is 100 milliseconds.</value>
    public TimeSpan MaxChunkDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Gets or sets the encoding for the local token counts (<see cref="StreamStats.TokenCount"/>, the pre-flight check).
    /// Set it when <see cref="Model"/> is an Azure deployment or local model name rather than an OpenAI model name.
    /// </summary>
    /// <value>The default is <see langword="null"/>: derived from the model name; an unknown name uses o200k_base and logs that it did.</value>
    public TokenizerEncoding? TokenizerEncoding { get; set; }

    /// <summary>
    /// Gets or sets the largest prompt, in tokens, to send. A longer one fails with
    /// <see cref="ContextLengthExceededException"/> before anything is sent. When <see langword="null"/>, the model's
    /// context window (less <see cref="MaxOutputTokens"/>) is used when the model is a known OpenAI model.
    /// </summary>
    /// <value>The default is <see langword="null"/>.</value>
    public int? MaxPromptTokens { get; set; }

    /// <summary>The longest delay a timer supports (about 49.7 days); longer timeouts mean "no timeout".</summary>
    internal static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Whether a timeout is enforced: not <see cref="Timeout.InfiniteTimeSpan"/> and within the timer limit.</summary>
    internal static bool IsEnforced(TimeSpan timeout) => timeout != Timeout.InfiniteTimeSpan && timeout <= MaxTimerDelay;

    /// <summary>
    /// Makes the settings a generator uses, the one way every constructor and dependency injection do: white space
    /// around the key trimmed (an empty key is none), and, when the generator builds its own client
    /// (<paramref name="environment"/> given), what the caller left unset filled from the environment (see <see cref="ApplyDefaults"/>).
    /// </summary>
    internal void Normalize(Func<string, string?>? environment)
    {
        if (environment is not null)
        {
            ApplyDefaults(environment);
            return;
        }

        ApiKey = ApiKey?.Trim();
        if (ApiKey?.Length == 0)
        {
            ApiKey = null;
        }
    }

    /// <summary>
    /// Fills what the caller left unset from the environment, as the providers' own SDKs do: <see cref="Endpoint"/> from
    /// <c>OPENAI_BASE_URL</c> (<c>AZURE_OPENAI_ENDPOINT</c> for Azure OpenAI; <c>ANTHROPIC_BASE_URL</c> for Anthropic, with
    /// <c>/v1</c> added unless the path ends with it, since Anthropic's SDKs name the host only), and <see cref="ApiKey"/>
    /// from <c>OPENAI_API_KEY</c> (<c>AZURE_OPENAI_API_KEY</c>, <c>ANTHROPIC_API_KEY</c>) when the endpoint is the
    /// provider's own or came from the environment too, so a key is never sent to a server the caller named without it.
    /// Trims white space around the key (a key read from a file keeps its line break).
    /// </summary>
    internal void ApplyDefaults(Func<string, string?> environment)
    {
        (string endpointVariable, string keyVariable, string? ownHost) = Provider switch
        {
            ModelProvider.AzureOpenAI => ("AZURE_OPENAI_ENDPOINT", "AZURE_OPENAI_API_KEY", null),
            ModelProvider.Anthropic => ("ANTHROPIC_BASE_URL", "ANTHROPIC_API_KEY", StreamingCodeGeneratorOptionsValidator.AnthropicHost),
            _ => ("OPENAI_BASE_URL", "OPENAI_API_KEY", StreamingCodeGeneratorOptionsValidator.OpenAIHost),
        };
        bool endpointFromCaller = Endpoint is not null;
        if (Endpoint is null && environment(endpointVariable) is { Length: > 0 } baseUrl
            && Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out Uri? fromEnvironment))
        {
            Endpoint = Provider == ModelProvider.Anthropic ? WithVersionSegment(fromEnvironment) : fromEnvironment;
        }

        // A key from the environment goes only where it belongs: Azure's key to the Azure endpoint, OpenAI's key to OpenAI
        // (Anthropic's to Anthropic) or to the endpoint the environment names too, never to a server the caller named
        // without giving a key.
        bool keyBelongs = ownHost is null || !endpointFromCaller
            || (Endpoint is { IsAbsoluteUri: true } && string.Equals(Endpoint.Host, ownHost, StringComparison.OrdinalIgnoreCase));
        if (string.IsNullOrEmpty(ApiKey) && keyBelongs)
        {
            ApiKey = environment(keyVariable);
        }

        ApiKey = ApiKey?.Trim();
        if (ApiKey?.Length == 0)
        {
            ApiKey = null;
        }
    }

    /// <summary>The endpoint requests go to: <see cref="Endpoint"/>, else the provider's own.</summary>
    internal Uri EffectiveEndpoint => Endpoint ?? (Provider == ModelProvider.Anthropic ? AnthropicEndpoint : OpenAIEndpoint);

    /// <summary><c>https://host</c> becomes <c>https://host/v1</c> (Anthropic's SDKs add the version to their base URL).</summary>
    private static Uri WithVersionSegment(Uri baseUrl) =>
        baseUrl.AbsolutePath.TrimEnd('/').EndsWith("/v1", StringComparison.OrdinalIgnoreCase)
            ? baseUrl
            : new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/v1");

    /// <summary>The first-chunk timeout for <paramref name="model"/>: the configured one, else the default for its kind.</summary>
    internal TimeSpan GetFirstChunkTimeout(string model) =>
        FirstChunkTimeout ?? (KnownModels.IsReasoning(model) ? TimeSpan.FromMinutes(5) : TimeSpan.FromSeconds(60));

    /// <summary>Copies the options so later changes by the caller do not affect a running generator.</summary>
    internal StreamingCodeGeneratorOptions Clone()
    {
        var copy = (StreamingCodeGeneratorOptions)MemberwiseClone();
        copy.CircuitBreaker = CircuitBreaker?.Clone()!;
        return copy;
    }
}
