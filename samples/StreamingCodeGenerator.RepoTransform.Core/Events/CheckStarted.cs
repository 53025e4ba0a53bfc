namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A check command is about to run on a round's diff, in a temporary worktree.</summary>
/// <param name="Round">The round whose diff is checked.</param>
/// <param name="Command">The command line, as configured.</param>
public sealed record CheckStarted(int Round, string Command) : TransformEvent;
