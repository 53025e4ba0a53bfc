using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration;

/// <summary>What every generation of one <see cref="StreamingCodeGenerator"/> shares: immutable after construction.</summary>
internal sealed class GeneratorCore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _unknownModelsLogged = new(StringComparer.Ordinal);

    public GeneratorCore(IChatUpdateSource source, StreamingCodeGeneratorOptions options, Uri endpoint, ILogger logger, TimeProvider timeProvider, SecretRedactor redactor, bool retryJitter = true, Telemetry? telemetry = null, UpstreamCircuitBreaker? circuitBreaker = null)
    {
        Telemetry = telemetry ?? Telemetry.Default;
        Options = options;
        Endpoint = endpoint;
        Logger = logger;
        TimeProvider = timeProvider;
        Redactor = redactor;
        Source = new ResilientChatSource(source, options, timeProvider, retryJitter, circuitBreaker);
    }

    public StreamingCodeGeneratorOptions Options { get; }

    /// <summary>The endpoint requests go to (decides <c>max_completion_tokens</c> vs <c>max_tokens</c>).</summary>
    public Uri Endpoint { get; }

    public ILogger Logger { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>The instruments measurements go to (on the host's meter when it gave an <c>IMeterFactory</c>).</summary>
    public Telemetry Telemetry { get; }

    /// <summary>Removes the configured key (and any other credential) from every server string that can reach a message, log or callback.</summary>
    public SecretRedactor Redactor { get; }

    /// <summary>The resilient source every generation reads from.</summary>
    public ResilientChatSource Source { get; }

    /// <summary>The observer of one generation (fresh stats), watching <paramref name="answer"/> for the text its failures carry.</summary>
    public GenerationSink CreateSink(PreparedRequest request, AnswerText answer, IProgress<StreamStats>? progress = null)
    {
        var sink = new GenerationSink(
            new StreamStatsTracker(TimeProvider),
            answer,
            Logger,
            Redactor,
            Telemetry,
            Options.OnRetry,
            progress,
            Options.ProgressInterval,
            TimeProvider,
            request.Model,
            Source.Inner.ProviderName,
            Source.Inner.ServerAddress);
        if (!Options.IncludeUsage)
        {
            sink.UsageNotRequested();
        }

        sink.TokenCountIs(GetTokenCountKind(request.Model));

        return sink;
    }

    /// <summary>The tokenizer for a model: the configured encoding, else the model's, else o200k_base (logged once per name).</summary>
    public Tokenizer GetTokenizer(string model)
    {
        if (Options.TokenizerEncoding is TokenizerEncoding configured)
        {
            return Tokenizer.Get(configured);
        }

        Tokenizer tokenizer = Tokenizer.ForModel(model, out bool isKnown);
        if (!isKnown && Options.Provider != ModelProvider.Anthropic && _unknownModelsLogged.TryAdd(model, 0))
        {
            Log.UnknownModelEncoding(Logger, model);
        }

        return tokenizer;
    }

    /// <summary>
    /// What the local count is for a model: exact with an OpenAI model's own encoding (known, or configured), an estimate
    /// otherwise, and always for Claude, whose tokenizer is not OpenAI's whatever the configured encoding.
    /// </summary>
    public TokenCountKind GetTokenCountKind(string model) =>
        Options.Provider != ModelProvider.Anthropic && (Options.TokenizerEncoding is not null || Tokenizer.TryGetEncodingForModel(model, out _))
            ? TokenCountKind.Exact
            : TokenCountKind.Estimate;

    public IncrementalTokenCounter CreateTokenCounter(string model) => new(GetTokenizer(model));
}
