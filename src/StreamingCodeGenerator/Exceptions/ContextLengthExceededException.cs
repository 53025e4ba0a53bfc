namespace StreamingCodeGeneration;

/// <summary>
/// The prompt (plus the requested output) does not fit the model's context window: either the server said so
/// (<c>context_length_exceeded</c>) or the local pre-flight count found it before anything was sent.
/// </summary>
public sealed class ContextLengthExceededException : ApiException
{
    /// <summary>Creates an exception with a default message.</summary>
    public ContextLengthExceededException()
        : this("The prompt exceeds the model's context length.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ContextLengthExceededException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ContextLengthExceededException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal ContextLengthExceededException(int statusCode, ApiError error)
        : base(statusCode, error)
    {
    }

    internal ContextLengthExceededException(string message, int promptTokens, int maxPromptTokens)
        : base(message)
    {
        PromptTokens = promptTokens;
        MaxPromptTokens = maxPromptTokens;
    }

    /// <summary>Gets the prompt's token count from the local pre-flight check, when that check failed.</summary>
    public int? PromptTokens { get; }

    /// <summary>Gets the limit the pre-flight check applied, when that check failed.</summary>
    public int? MaxPromptTokens { get; }
}
