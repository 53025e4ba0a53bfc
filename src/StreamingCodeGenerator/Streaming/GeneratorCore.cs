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
        Pipeline = RetryPipelineFactory.Create(options, jitter ?? Random.Shared.NextDouble);
    }

    public ChatClient Client { get; }

    public StreamingCodeGeneratorOptions Options { get; }

    public Uri Endpoint { get; }

    public ILogger Logger { get; }

    public ResiliencePipeline<ActiveAttempt> Pipeline { get; }

    public TokenCounterHandle CreateTokenCounter(string model)
    {
        _ = model;
        return new TokenCounterHandle();
    }
}
