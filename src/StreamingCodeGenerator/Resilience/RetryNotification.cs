namespace StreamingCodeGeneration;

/// <summary>Describes a retry that is about to happen (see <see cref="StreamingCodeGeneratorOptions.OnRetry"/>).</summary>
public sealed class RetryNotification
{
    internal RetryNotification(int attempt, TimeSpan delay, CodeGenerationException reason, bool isContinuation)
    {
        Attempt = attempt;
        Delay = delay;
        Reason = reason;
        IsContinuation = isContinuation;
    }

    /// <summary>Gets the number of the attempt that failed (1 for the first request).</summary>
    public int Attempt { get; }

    /// <summary>Gets how long the generator waits before the next attempt.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Gets why the attempt failed.</summary>
    public CodeGenerationException Reason { get; }

    /// <summary>Gets whether the failed attempt was a continuation of an answer already partly delivered.</summary>
    public bool IsContinuation { get; }
}
