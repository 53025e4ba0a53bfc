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

    internal ContextLengthExceededException(string message, int promptTokens, int maxPromptTokens, int? contextWindow = null, int? maxOutputTokens = null)
        : base(message)
    {
        PromptTokens = promptTokens;
        MaxPromptTokens = maxPromptTokens;
        ContextWindow = contextWindow;
        MaxOutputTokens = maxOutputTokens;
    }

    /// <summary>Gets the prompt's token count from the local pre-flight check, when that check failed.</summary>
    public int? PromptTokens { get; }

    /// <summary>
    /// Gets how many prompt tokens the pre-flight check allowed, when that check failed: <see cref="StreamingCodeGeneratorOptions.MaxPromptTokens"/>,
    /// or <see cref="ContextWindow"/> less <see cref="MaxOutputTokens"/> (0 when the output limit alone fills the window).
    /// </summary>
    public int? MaxPromptTokens { get; }

    /// <summary>Gets the model's context window (prompt plus output, in tokens) the pre-flight check applied, when it failed against one.</summary>
    public int? ContextWindow { get; }

    /// <summary>Gets the output limit (the request's <c>MaxOutputTokens</c>) the pre-flight check kept room for in <see cref="ContextWindow"/>, when it did.</summary>
    public int? MaxOutputTokens { get; }
}
