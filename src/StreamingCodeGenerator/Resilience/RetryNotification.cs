namespace StreamingCodeGeneration;

/// <summary>Describes a retry that is about to happen (see <see cref="StreamingCodeGeneratorOptions.OnRetry"/>).</summary>
public sealed class RetryNotification
{
    /// <summary>Creates a notification (the library creates them before each retry; tests of a callback may too).</summary>
    /// <param name="attempt">The number of the attempt that failed (1 for the first request).</param>
    /// <param name="delay">How long the generator waits before the next attempt.</param>
    /// <param name="reason">Why the attempt failed.</param>
    /// <param name="isContinuation">Whether the next attempt continues an answer already partly delivered.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reason"/> is <see langword="null"/>.</exception>
    public RetryNotification(int attempt, TimeSpan delay, CodeGenerationException reason, bool isContinuation)
    {
        ArgumentNullException.ThrowIfNull(reason);
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
