using System.Text;

namespace StreamingCodeGeneration.Samples.Console;

/// <summary>
/// One generation from request to exit code: streams the chunks to the output, saves the code blocks when asked, and
/// turns a failure or Ctrl+C into its one-line message and exit code, keeping what arrived.
/// </summary>
internal static class GenerationRun
{
    public static async Task<int> RunAsync(
        StreamingCodeGenerator generator,
        CodeGenerationRequest request,
        IAnswerOutput output,
        string? saveFolder,
        string apiKeyVariable,
        CancellationToken cancellationToken)
    {
        var received = new StringBuilder();
        CodeGenerationStream stream = generator.GenerateAsync(request, cancellationToken);
        output.Start();
        CodeGenerationResult result;
        try
        {
            await foreach (Chunk chunk in stream)
            {
                if (chunk.Kind != ChunkKind.Reasoning)
                {
                    received.Append(chunk.Text);
                }

                output.Write(chunk);
            }

            result = stream.Result!;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var cancelled = new CommandLineError(ExitCodes.Cancelled, $"Cancelled after {received.Length} characters; what arrived is kept.");
            output.Failed(cancelled, received.ToString(), stream.Stats);
            return cancelled.ExitCode;
        }
        catch (Exception ex) when (ex is CodeGenerationException or HttpRequestException or IOException)
        {
            CommandLineError error = CommandLineErrors.Describe(ex, apiKeyVariable);
            output.Failed(error, ex is CodeGenerationException failure ? failure.PartialText : received.ToString(), stream.Stats);
            return error.ExitCode;
        }

        IReadOnlyList<SavedFile> saved = [];
        if (saveFolder is not null)
        {
            try
            {
                saved = CodeBlockSaver.Save(saveFolder, result.CodeBlocks);
            }
            catch (UnsafeFileNameException ex)
            {
                output.Failed(new CommandLineError(ExitCodes.Configuration, ex.Message), result.Text, result.Stats);
                return ExitCodes.Configuration;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                output.Failed(new CommandLineError(ExitCodes.Failure, "Could not save the code blocks: " + CommandLineErrors.OneLine(ex.Message)), result.Text, result.Stats);
                return ExitCodes.Failure;
            }
        }

        output.Completed(result, saved);
        return ExitCodes.Success;
    }
}
