namespace StreamingCodeGeneration.WebApi.Diagnostics;

/// <summary>The service's log lines, with fixed event ids. Prompts and answers are never logged; keys never reach a logger.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "No model is configured (OPENAI_API_KEY, OPENAI_BASE_URL or StreamingCodeGenerator:Endpoint): answering from the offline demo at {Endpoint}, which replays a recorded answer.")]
    public static partial void OfflineDemo(ILogger logger, Uri endpoint);

    [LoggerMessage(2, LogLevel.Information, "Generating with model {Model} at {Endpoint}.")]
    public static partial void ModelConfigured(ILogger logger, string model, string endpoint);

    [LoggerMessage(3, LogLevel.Debug, "First chunk after {Milliseconds} ms ({Attempts} attempts).")]
    public static partial void FirstChunk(ILogger logger, double milliseconds, int attempts);

    [LoggerMessage(4, LogLevel.Warning, "Generation failed before its first chunk: answering {Status} {Code} ({ExceptionType}: {Detail}).")]
    public static partial void FailedBeforeFirstChunk(ILogger logger, int status, string code, string exceptionType, string detail);

    [LoggerMessage(5, LogLevel.Warning, "Generation failed after {Characters} characters: ending the stream with {Code} ({ExceptionType}: {Detail}).")]
    public static partial void FailedMidStream(ILogger logger, string code, int characters, string exceptionType, string detail);

    [LoggerMessage(6, LogLevel.Information, "The client disconnected {When}; the model request was cancelled.")]
    public static partial void ClientDisconnected(ILogger logger, string when);

    [LoggerMessage(7, LogLevel.Error, "Generation failed unexpectedly.")]
    public static partial void UnexpectedFailure(ILogger logger, Exception exception);

    [LoggerMessage(9, LogLevel.Information, "Exporting traces and metrics over OTLP to {Endpoint}.")]
    public static partial void Telemetry(ILogger logger, string endpoint);

    [LoggerMessage(10, LogLevel.Warning, "Client {Client} sent {Limit} wrong API keys within {WindowSeconds} s: its keys are refused (429) until the window ends.")]
    public static partial void FailedAuthenticationLimitReached(ILogger logger, string client, int limit, double windowSeconds);

    [LoggerMessage(11, LogLevel.Information, "Counting rate limits and wrong API keys in Redis at {Endpoints}, once for all instances.")]
    public static partial void RedisConnected(ILogger logger, string endpoints);

    [LoggerMessage(12, LogLevel.Warning, "Redis at {Endpoints} cannot be reached ({Reason}): each instance counts rate limits and wrong API keys on its own until it can.")]
    public static partial void RedisUnreachable(ILogger logger, string endpoints, string reason);

    [LoggerMessage(13, LogLevel.Information, "Redis at {Endpoints} can be reached again: rate limits and wrong API keys are counted there, once for all instances.")]
    public static partial void RedisReachable(ILogger logger, string endpoints);
}
