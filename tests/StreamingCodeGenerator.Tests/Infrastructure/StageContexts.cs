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

    /// <summary>The shared core; backoff has no jitter, so delays are exact (1 s, 2 s, 4 s…).</summary>
    public static GeneratorCore Core(IChatUpdateSource source, StreamingCodeGeneratorOptions options, TimeProvider time, ILogger? logger = null) =>
        new(source, options, Endpoint, logger ?? NullLogger.Instance, time, SecretRedactor.Default, retryJitter: false);

    /// <summary>A started generation for <paramref name="core"/>, as <see cref="Generation"/> starts one.</summary>
    public static StageGeneration Start(GeneratorCore core, string prompt = "x")
    {
        PreparedRequest request = PreparedRequest.Create(new CodeGenerationRequest(prompt), core.Options, core.Endpoint);
        var answer = new AnswerText();
        GenerationSink sink = core.CreateSink(request, answer);
        GenerationClock clock = GenerationClock.Start(core.TimeProvider, core.Options.TotalTimeout);
        sink.Start(request);
        return new StageGeneration(request, sink, answer, clock);
    }
}

/// <summary>What a started generation hands its stages: the request, the sink, the answer and the clock.</summary>
internal sealed record StageGeneration(PreparedRequest Request, GenerationSink Sink, AnswerText Answer, GenerationClock Clock);
