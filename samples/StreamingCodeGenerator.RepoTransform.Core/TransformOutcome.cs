namespace StreamingCodeGeneration.RepoTransform;

/// <summary>How a run ended, as the history records it.</summary>
public enum TransformOutcome
{
    /// <summary>A diff was produced; its review (if any) was understood and its checks (if any) passed.</summary>
    Succeeded,

    /// <summary>The model's answer changes nothing.</summary>
    NoChanges,

    /// <summary>A diff was produced and applied to the work tree.</summary>
    Applied,

    /// <summary>The model named an unsafe path; nothing was written.</summary>
    Rejected,

    /// <summary>The run failed (the model, the repository, the answer's format…); the error says why.</summary>
    Failed,

    /// <summary>The caller cancelled the run.</summary>
    Cancelled,

    /// <summary>
    /// A diff was produced, but the review's answer was neither <c>[CONFIDENT]</c> nor <c>[REVISION NEEDED]</c> (a model
    /// that ignored the format): the diff is unreviewed, and was not applied. Not a success.
    /// </summary>
    ReviewUnrecognized,

    /// <summary>
    /// A diff was produced, but a check (<see cref="RepositoryTransformerOptions.Checks"/>) still failed after the revision
    /// rounds: the diff is the last one tried, and was not applied. Not a success.
    /// </summary>
    ChecksFailed,
}
