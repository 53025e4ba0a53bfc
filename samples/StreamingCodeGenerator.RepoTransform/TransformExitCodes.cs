namespace StreamingCodeGeneration.RepoTransform.Cli;

/// <summary>
/// The exit codes of a run that produced a diff which is not a success; the shared ones (0, 1, 2, 3, 4, 5, 6, 130) are
/// <see cref="StreamingCodeGeneration.Samples.ExitCodes"/>. The diff is still written (to <c>--out</c> or standard
/// output) so it can be read, but never applied.
/// </summary>
internal static class TransformExitCodes
{
    /// <summary>The review's answer was neither <c>[CONFIDENT]</c> nor <c>[REVISION NEEDED]</c>: the diff is unreviewed (<see cref="TransformOutcome.ReviewUnrecognized"/>).</summary>
    public const int ReviewUnrecognized = 7;

    /// <summary>A <c>--check</c> still failed after the revision rounds (<see cref="TransformOutcome.ChecksFailed"/>).</summary>
    public const int ChecksFailed = 8;

    public static int For(TransformOutcome outcome) => outcome switch
    {
        TransformOutcome.ReviewUnrecognized => ReviewUnrecognized,
        TransformOutcome.ChecksFailed => ChecksFailed,
        _ => StreamingCodeGeneration.Samples.ExitCodes.Success,
    };
}
