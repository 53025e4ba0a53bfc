using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>The engine's stages wired by hand around a fake source, as <see cref="StreamingCodeGenerator"/> wires them.</summary>
internal static class StageContexts
{
    public static readonly Uri Endpoint = new("http://localhost:5000/v1");

    /// <summary>Options with exact, small numbers for stage tests: 3 retries from 1 s, first chunk 10 s, idle 5 s, total 10 min.</summary>
    public static StreamingCodeGeneratorOptions Options() => new()
    {
        Endpoint = Endpoint,
        Model = "gpt-4o-mini",
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromSeconds(1),
        RetryMaxDelay = TimeSpan.FromSeconds(30),
        FirstChunkTimeout = TimeSpan.FromSeconds(10),
        IdleTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromMinutes(10),
    };

    /// <summary>The shared core; jitter is fixed (0.5 unless given) so backoff delays are exact.</summary>
    public static GeneratorCore Core(IChatUpdateSource source, StreamingCodeGeneratorOptions options, TimeProvider time, Func<double>? jitter = null, ILogger? logger = null) =>
        new(source, options, Endpoint, logger ?? NullLogger.Instance, time, SecretRedactor.Default, jitter ?? (() => 0.5));

    /// <summary>A started generation context for <paramref name="core"/>, as a generation creates it.</summary>
    public static GenerationContext Context(GeneratorCore core, string prompt = "x")
    {
        GenerationContext context = core.CreateContext(PreparedRequest.Create(new CodeGenerationRequest(prompt), core.Options, core.Endpoint));
        context.Start();
        context.Sink.Start(context.Request);
        return context;
    }
}
