using System.Text;

namespace StreamingCodeGeneration.Testing.Tests.Infrastructure;

/// <summary>Enumerates a generation with <c>await foreach</c>, the way users do.</summary>
public static class Consume
{
    public static async Task<string> TextAsync(CodeGenerationStream stream, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        await foreach (Chunk chunk in stream.WithCancellation(cancellationToken))
        {
            text.Append(chunk.Text);
        }

        return text.ToString();
    }

    /// <summary>Consumes a stream and returns the exception it ended with, plus the text received before it.</summary>
    public static async Task<(Exception? Error, string Received)> FailureAsync(CodeGenerationStream stream, CancellationToken cancellationToken = default)
    {
        var received = new StringBuilder();
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
