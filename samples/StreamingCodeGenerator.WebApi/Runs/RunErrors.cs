using StreamingCodeGeneration.RepoTransform;
using StreamingCodeGeneration.WebApi.Generation;
using StreamingCodeGeneration.WebApi.Hosting;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>What a repository transform failed with, as the service answers it (and as the history stores it).</summary>
internal static class RunErrors
{
    public static ServiceError Map(Exception exception, GenerationCancellation cancellation) => exception switch
    {
        RepositoryUrlException url => InvalidRepository(url),
        RepositoryLimitException limit => new ServiceError(
            422,
            "repository_too_large",
            limit.Setting is { } setting ? limit.Message.Replace($"({setting})", $"(WebApi:Runs:{SettingName(setting)})", StringComparison.Ordinal) : limit.Message,
            RunRequest.RepoUrlField),
        RepositoryException repository => new ServiceError(422, "repository_unavailable", repository.Message, RunRequest.RepoUrlField),
        UnsafePathException => new ServiceError(502, "model_answer_rejected", "The model named a file outside the repository; nothing was changed."),
        AnswerFormatException => new ServiceError(502, "model_answer_malformed", "The model's answer ended inside a file; nothing was changed."),
        HistoryException => new ServiceError(503, "history_unavailable", "The run history cannot be read or written.", RetryAfter: TimeSpan.FromSeconds(5)),
        TransformException transform => ServiceError.BadRequest("prompt_too_large", transform.Message, "prompt"),
        _ => UpstreamErrors.Map(exception, cancellation, TimeSpan.Zero),
    };

    /// <summary>The repository is refused from its text alone (the message never repeats it: it may hold credentials).</summary>
    public static ServiceError InvalidRepository(RepositoryUrlException exception) =>
        ServiceError.BadRequest("invalid_repo_url", $"'{RunRequest.RepoUrlField}' is refused: {exception.Message}", RunRequest.RepoUrlField);

    /// <summary>The service's key for a limit the transformer names: the same name, but the checks' settings are flat here.</summary>
    private static string SettingName(string setting) => setting == "Checks.MaxWorktreeBytes" ? nameof(RunSettings.MaxCheckWorktreeBytes) : setting;

    /// <summary>All runs are taken.</summary>
    public static ServiceError Busy(int limit) => new(
        503,
        "too_many_runs",
        $"The service is already running {limit} repository transforms, its limit (WebApi:Runs:MaxConcurrentRuns). Retry after the time in Retry-After.",
        RetryAfter: RunSlots.RetryAfter);

    /// <summary>What the log gets: the exception's message, and for a fetch failure what really happened.</summary>
    public static string Detail(Exception exception) =>
        exception is RepositoryFetchException { Detail: { } detail } ? $"{exception.Message} Detail: {detail}" : exception.Message;
}
