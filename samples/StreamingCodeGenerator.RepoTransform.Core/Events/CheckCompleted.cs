namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A check command ended: passed, failed or timed out.</summary>
/// <param name="Check">The command, its exit code, how long it ran and whether it timed out.</param>
/// <param name="Output">
/// The end of its output (standard error merged into standard output), at most <see cref="CheckOptions.MaxOutputBytes"/>:
/// the worktree's paths and whatever the command printed, which may include the repository's text.
/// </param>
public sealed record CheckCompleted(CheckRun Check, string Output) : TransformEvent;
