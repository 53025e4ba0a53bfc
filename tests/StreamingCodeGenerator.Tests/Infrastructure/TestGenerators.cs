namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>Generators wired to a loopback server, with retries off unless a test asks.</summary>
public static class TestGenerators
{
    public const string ApiKey = "sk-test-SECRET-0123456789abcdef";

    public static StreamingCodeGeneratorOptions Options(ScriptedOpenAIServer server, TimeProvider? time = null, int maxRetries = 0) => new()
    {
        Endpoint = server.Endpoint,
        ApiKey = ApiKey,
        Model = "gpt-4o-mini",
        MaxRetries = maxRetries,
        TimeProvider = time ?? TimeProvider.System,
    };

    /// <summary>A generator whose jitter is fixed at the top of its range, so backoff delays are exact.</summary>
    public static StreamingCodeGenerator Create(StreamingCodeGeneratorOptions options) => new(options, jitter: () => 1.0);

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
}
