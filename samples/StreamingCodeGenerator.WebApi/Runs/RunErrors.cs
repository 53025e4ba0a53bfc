using StreamingCodeGeneration.RepoTransform;
using StreamingCodeGeneration.WebApi.Generation;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>What a repository transform failed with, as the service answers it.</summary>
internal static class RunErrors
{
    public static ServiceError Map(Exception exception, GenerationCancellation cancellation) => exception switch
    {
        RepositoryException repository => new ServiceError(422, "repository_unavailable", repository.Message, "repoUrl"),
        UnsafePathException => new ServiceError(502, "model_answer_rejected", "The model named a file outside the repository; nothing was changed."),
        AnswerFormatException => new ServiceError(502, "model_answer_malformed", "The model's answer ended inside a file; nothing was changed."),
        HistoryException => new ServiceError(503, "history_unavailable", "The run history cannot be read or written.", RetryAfter: TimeSpan.FromSeconds(5)),
        TransformException transform => ServiceError.BadRequest("prompt_too_large", transform.Message, "prompt"),
        _ => UpstreamErrors.Map(exception, cancellation, TimeSpan.Zero),
    };
}
