using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>Generators wired to a loopback server, with retries off unless a test asks.</summary>
public static class TestGenerators
{
    public const string ApiKey = "sk-test-SECRET-0123456789abcdef";

    /// <summary>The fake clock each test handed to <see cref="Options"/>, for <see cref="Create"/> to pass to the constructor.</summary>
    private static readonly ConditionalWeakTable<StreamingCodeGeneratorOptions, TimeProvider> Clocks = new();

    public static StreamingCodeGeneratorOptions Options(OpenAITestServer server, TimeProvider? time = null, int maxRetries = 0)
    {
        var options = new StreamingCodeGeneratorOptions
        {
            Endpoint = server.Endpoint,
            ApiKey = ApiKey,
            Model = "gpt-4o-mini",
            MaxRetries = maxRetries,
        };
        if (time is not null)
        {
            Clocks.Add(options, time);
        }

        return options;
    }

    /// <summary>A generator whose backoff has no jitter, so delays are exact: the base delay, doubling per retry.</summary>
    public static StreamingCodeGenerator Create(StreamingCodeGeneratorOptions options, ILogger? logger = null) =>
        StreamingCodeGenerator.Create(
            GeneratorConnection.Endpoint(tokenProvider: null, httpClient: null),
            options,
            new GeneratorServices(logger is null ? null : new SingleLoggerFactory(logger), Clock(options), Environment: NoEnvironment, RetryJitter: false));

    /// <summary>The clock a test gave <see cref="Options"/>, or <see langword="null"/> for the system clock.</summary>
    public static TimeProvider? Clock(StreamingCodeGeneratorOptions options) => Clocks.TryGetValue(options, out TimeProvider? time) ? time : null;

    /// <summary>No environment variables: tests never depend on the machine's OPENAI_API_KEY or OPENAI_BASE_URL.</summary>
    public static string? NoEnvironment(string name) => null;

    public static async Task<(string Text, List<Chunk> Chunks)> CollectAsync(CodeGenerationStream stream, CancellationToken cancellationToken = default)
    {
        var chunks = new List<Chunk>();
        await foreach (Chunk chunk in stream.WithCancellation(cancellationToken))
        {
            chunks.Add(chunk);
        }

        return (string.Concat(chunks.Select(c => c.Text)), chunks);
    }

    /// <summary>Consumes a stream and returns the exception it ended with, plus the text received before it.</summary>
    public static async Task<(Exception? Error, string Received)> CollectFailureAsync(CodeGenerationStream stream, CancellationToken cancellationToken = default)
    {
        var received = new System.Text.StringBuilder();
        try
        {
            await foreach (Chunk chunk in stream.WithCancellation(cancellationToken))
            {
                received.Append(chunk.Text);
            }
        }
        catch (Exception ex)
        {
            return (ex, received.ToString());
        }

        return (null, received.ToString());
    }

    /// <summary>An <see cref="ILoggerFactory"/> that hands out one logger for every category.</summary>
    public sealed class SingleLoggerFactory(ILogger logger) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => logger;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }
}
