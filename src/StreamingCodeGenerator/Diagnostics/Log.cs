using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration;

/// <summary>The library's log messages, with fixed event ids. Message contents are logged only at Trace.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Sending attempt {Attempt} to model {Model} (continuation: {IsContinuation}).")]
    public static partial void AttemptStarting(ILogger logger, int attempt, string model, bool isContinuation);

    [LoggerMessage(2, LogLevel.Warning, "Attempt {Attempt} failed ({Reason}); retrying in {DelayMs} ms.")]
    public static partial void RetryScheduled(ILogger logger, int attempt, string reason, double delayMs);

    [LoggerMessage(3, LogLevel.Warning, "The server rejected stream_options (HTTP {StatusCode}); repeating the request without it. Usage will be unavailable.")]
    public static partial void StreamOptionsRejected(ILogger logger, int statusCode);

    [LoggerMessage(4, LogLevel.Information, "Generation completed: {ServerEvents} server events, {Characters} characters, {Tokens} tokens, {Attempts} attempt(s), finish reason {FinishReason}, {ElapsedMs} ms.")]
    public static partial void Completed(ILogger logger, int serverEvents, int characters, int tokens, int attempts, string? finishReason, double elapsedMs);

    [LoggerMessage(5, LogLevel.Error, "Generation failed after {Characters} characters and {Attempts} attempt(s): {ExceptionType}.")]
    public static partial void Failed(ILogger logger, Exception exception, int characters, int attempts, string exceptionType);

    [LoggerMessage(6, LogLevel.Information, "Generation cancelled after {Characters} characters.")]
    public static partial void Cancelled(ILogger logger, int characters);

    [LoggerMessage(7, LogLevel.Warning, "The stream broke after {Characters} characters ({Reason}); asking the model to continue in {DelayMs} ms.")]
    public static partial void Continuing(ILogger logger, long characters, string reason, double delayMs);

    [LoggerMessage(9, LogLevel.Information, "'{Model}' is not a known OpenAI model name; counting tokens with o200k_base. Set StreamingCodeGeneratorOptions.TokenizerEncoding to choose the encoding.")]
    public static partial void UnknownModelEncoding(ILogger logger, string model);

    [LoggerMessage(8, LogLevel.Trace, "Received: {Text}")]
    public static partial void ContentReceived(ILogger logger, string? text);

    [LoggerMessage(11, LogLevel.Information, "First chunk after {TimeToFirstChunkMs} ms ({Attempts} attempt(s)).")]
    public static partial void FirstChunk(ILogger logger, double timeToFirstChunkMs, int attempts);

    [LoggerMessage(12, LogLevel.Trace, "Prompt ({Role}): {Content}")]
    public static partial void PromptMessage(ILogger logger, MessageRole role, string content);

    [LoggerMessage(10, LogLevel.Trace, "Received reasoning: {Text}")]
    public static partial void ReasoningReceived(ILogger logger, string? text);
}
