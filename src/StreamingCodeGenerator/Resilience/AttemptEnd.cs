namespace StreamingCodeGeneration;

/// <summary>
/// How an attempt that reached its content ended, as the retry strategy's outcome: completed, broken by a failure
/// after text reached the caller (continued or not as the strategy decides), or abandoned because the caller stopped
/// reading. A failure before the first content is not an <see cref="AttemptEnd"/>: it is the outcome's exception.
/// </summary>
internal readonly struct AttemptEnd
{
    private AttemptEnd(Exception? failure, bool abandoned)
    {
        Failure = failure;
        IsAbandoned = abandoned;
    }

    /// <summary>The answer is complete.</summary>
    public static AttemptEnd Completed => default;

    /// <summary>The caller stopped reading: nothing more to decide.</summary>
    public static AttemptEnd Abandoned => new(null, abandoned: true);

    /// <summary>What broke the stream after its first content; <see langword="null"/> when it did not break.</summary>
    public Exception? Failure { get; }

    /// <summary>Whether the caller stopped reading.</summary>
    public bool IsAbandoned { get; }

    /// <summary>The stream broke after its first content.</summary>
    public static AttemptEnd Broken(Exception failure) => new(failure, abandoned: false);
}
