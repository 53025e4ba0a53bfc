namespace StreamingCodeGeneration;

/// <summary>
/// Settings of the circuit breaker a generator's generations share (see
/// <see cref="StreamingCodeGeneratorOptions.CircuitBreaker"/>): it counts the attempts that fail the way a retry would
/// retry (408, 429, 5xx, a refused or lost connection, a stream cut or a timeout before its first content), and when
/// too many of them fail it opens: for <see cref="BreakDuration"/>, generations fail at once with
/// <see cref="CircuitOpenException"/> and send nothing; then one attempt probes the upstream, and its first content
/// closes the breaker again. Polly's circuit breaker does the counting, on the generator's <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// An attempt counts as a success once its first content arrives: what happens after that (a long stream, a cut) says
/// the upstream is up, so a probe never holds the breaker half-open for the length of an answer. Failures a retry would
/// not retry (400, 401, 403, 404, <c>insufficient_quota</c>) say the upstream is up too and count as successes.
/// </remarks>
public sealed class CircuitBreakerOptions
{
    /// <summary>Gets or sets whether generations share a circuit breaker.</summary>
    /// <value>
    /// The default is <see langword="true"/>. With the default thresholds only a busy generator can open it (at least
    /// <see cref="MinimumThroughput"/> attempts within <see cref="SamplingDuration"/>), so a tool that makes a request at
    /// a time never notices it.
    /// </value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets the share of failed attempts within <see cref="SamplingDuration"/> at or above which the breaker
    /// opens, greater than 0 and at most 1.
    /// </summary>
    /// <value>
    /// The default is 0.5. Polly's own default, 0.1, suits a single HTTP call; model APIs answer some 429s under normal
    /// load, and a breaker that opened for them would fail healthy generations.
    /// </value>
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many attempts must have ended within <see cref="SamplingDuration"/> before the breaker may open; at least 2.</summary>
    /// <value>The default is 100 (Polly's).</value>
    public int MinimumThroughput { get; set; } = 100;

    /// <summary>Gets or sets the window over which failures are counted; at least 0.5 seconds, at most a day.</summary>
    /// <value>The default is 30 seconds (Polly's).</value>
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long the breaker stays open before one attempt may probe the upstream (and again after each
    /// probe that fails); at least 0.5 seconds, at most a day.
    /// </summary>
    /// <value>The default is 5 seconds (Polly's).</value>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The shortest sampling and break duration Polly accepts.</summary>
    internal static readonly TimeSpan MinDuration = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest sampling and break duration Polly accepts.</summary>
    internal static readonly TimeSpan MaxDuration = TimeSpan.FromDays(1);

    /// <summary>Adds what is wrong with these settings to <paramref name="failures"/>, each named by its configuration key.</summary>
    internal void AddFailures(string prefix, List<string> failures)
    {
        if (!Enabled)
        {
            return;
        }

        if (!(FailureRatio > 0 && FailureRatio <= 1))
        {
            failures.Add($"{prefix}:{nameof(FailureRatio)} must be greater than 0 and at most 1, not {FailureRatio}.");
        }

        if (MinimumThroughput < 2)
        {
            failures.Add($"{prefix}:{nameof(MinimumThroughput)} must be at least 2, not {MinimumThroughput}.");
        }

        if (SamplingDuration < MinDuration || SamplingDuration > MaxDuration)
        {
            failures.Add($"{prefix}:{nameof(SamplingDuration)} must be between {MinDuration} and {MaxDuration}, not {SamplingDuration}.");
        }

        if (BreakDuration < MinDuration || BreakDuration > MaxDuration)
        {
            failures.Add($"{prefix}:{nameof(BreakDuration)} must be between {MinDuration} and {MaxDuration}, not {BreakDuration}.");
        }
    }

    /// <summary>A copy, so later changes by the caller do not affect a running generator.</summary>
    internal CircuitBreakerOptions Clone() => (CircuitBreakerOptions)MemberwiseClone();
}
