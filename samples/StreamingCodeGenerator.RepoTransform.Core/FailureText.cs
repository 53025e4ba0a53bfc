namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// A failed run's error as the history keeps it by default: the agent's own messages as they are, and a model failure
/// worded from its type and status code alone — never the provider's text, which can hold account details, internal
/// URLs and echoes of the key.
/// </summary>
internal static class FailureText
{
    public static string Describe(Exception exception) => exception switch
    {
        TransformException transform => transform.Message,
        ContextLengthExceededException => "The prompt does not fit the model's context window.",
        RateLimitException { IsQuotaExhausted: true } => "The model provider's quota is exhausted.",
        RateLimitException => "The model provider is rate-limiting requests.",
        AuthenticationFailedException => "The model provider rejected the credentials.",
        ApiException { StatusCode: > 0 } api => $"The model provider answered HTTP {api.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)}.",
        StreamTimeoutException timeout => $"The model's answer timed out ({timeout.Kind}).",
        StreamInterruptedException => "The model provider's stream was interrupted.",
        MalformedResponseException => "The model provider sent a response that is not a chat completion stream.",
        CodeGenerationException => "The model request failed.",
        _ => $"The run failed unexpectedly ({exception.GetType().Name}).",
    };
}
