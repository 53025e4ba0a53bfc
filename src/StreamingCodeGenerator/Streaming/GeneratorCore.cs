using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI.Chat;
using Polly;

namespace StreamingCodeGeneration;

/// <summary>What every generation of one <see cref="StreamingCodeGenerator"/> shares: immutable after construction.</summary>
internal sealed class GeneratorCore
{
    public GeneratorCore(ChatClient client, StreamingCodeGeneratorOptions options, Uri endpoint, Func<double>? jitter = null)
    {
        Client = client;
        Options = options;
        Endpoint = endpoint;
        Logger = options.Logger ?? NullLogger.Instance;
        Jitter = jitter ?? Random.Shared.NextDouble;
        Redactor = new SecretRedactor(options.ApiKey);
        Pipeline = RetryPipelineFactory.Create(options, Jitter);
    }

    /// <summary>The random source for backoff jitter, in [0, 1).</summary>
    public Func<double> Jitter { get; }

    /// <summary>Removes the configured key (and any other credential) from every server string that can reach a message, log or callback.</summary>
    public SecretRedactor Redactor { get; }

    public ChatClient Client { get; }

    public StreamingCodeGeneratorOptions Options { get; }

    public Uri Endpoint { get; }

    public ILogger Logger { get; }

    public ResiliencePipeline<ActiveAttempt> Pipeline { get; }

    /// <summary>The tokenizer for a model: the configured encoding, else the model's, else o200k_base (logged once per name).</summary>
    public Tokenizer GetTokenizer(string model)
    {
        if (Options.TokenizerEncoding is TokenizerEncoding configured)
        {
            return Tokenizer.Get(configured);
        }

        Tokenizer tokenizer = Tokenizer.ForModel(model, out bool isKnown);
        if (!isKnown && _unknownModelsLogged.TryAdd(model, 0))
        {
            Log.UnknownModelEncoding(Logger, model);
        }

        return tokenizer;
    }

    public IncrementalTokenCounter CreateTokenCounter(string model) => new(GetTokenizer(model));

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _unknownModelsLogged = new(StringComparer.Ordinal);
}
