namespace StreamingCodeGeneration;

/// <summary>
/// A source's signal that the server refused the request because it asked for usage (some Azure API versions and
/// hosted services reject OpenAI's <c>stream_options</c>). Never reaches the caller: the resilience stage reports it
/// and sends the attempt again without asking for usage, which neither counts as a retry nor waits a backoff.
/// </summary>
internal sealed class UsageRejectedException : Exception
{
    /// <param name="statusCode">The HTTP status of the refusal (400 or 422).</param>
    /// <param name="failure">What the refusal is as a failure, thrown should the attempt not have asked for usage.</param>
    public UsageRejectedException(int statusCode, CodeGenerationException failure)
        : base("The server refused the request's usage option: " + failure.Message, failure)
    {
        StatusCode = statusCode;
        Failure = failure;
    }

    /// <summary>The HTTP status of the refusal.</summary>
    public int StatusCode { get; }

    /// <summary>The refusal as a typed failure.</summary>
    public CodeGenerationException Failure { get; }
}
