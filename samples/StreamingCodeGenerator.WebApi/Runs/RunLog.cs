namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>The repository transform's log lines. The detail of a failed fetch (refused address, git's words) goes here only, without credentials.</summary>
internal static partial class RunLog
{
    [LoggerMessage(20, LogLevel.Warning, "Repository transform failed: answering {Status} {Code} ({ExceptionType}: {Detail}).")]
    public static partial void Failed(ILogger logger, int status, string code, string exceptionType, string detail);

    [LoggerMessage(21, LogLevel.Information, "Repository transform refused: {Running} runs already going on, the limit (WebApi:Runs:MaxConcurrentRuns).")]
    public static partial void Busy(ILogger logger, int running);

    [LoggerMessage(22, LogLevel.Information, "A repository transform request used the deprecated field '{Deprecated}'; its name is '{Field}'.")]
    public static partial void DeprecatedField(ILogger logger, string deprecated, string field);
}
