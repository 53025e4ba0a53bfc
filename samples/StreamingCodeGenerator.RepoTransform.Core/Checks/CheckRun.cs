namespace StreamingCodeGeneration.RepoTransform;

/// <summary>One command of <see cref="CheckOptions.Commands"/> run on one diff of a run, as the result and the history record it.</summary>
/// <param name="Round">The round whose diff was checked (1 for the generation's).</param>
/// <param name="Command">The command line, as configured.</param>
/// <param name="ExitCode">The command's exit code; <see langword="null"/> when it timed out and was killed.</param>
/// <param name="Duration">How long it ran.</param>
/// <param name="TimedOut">Whether it ran past <see cref="CheckOptions.Timeout"/> and was killed.</param>
public sealed record CheckRun(int Round, string Command, int? ExitCode, TimeSpan Duration, bool TimedOut)
{
    /// <summary>Gets whether the check passed: it ended in time with exit code 0.</summary>
    public bool Passed => ExitCode == 0 && !TimedOut;
}
