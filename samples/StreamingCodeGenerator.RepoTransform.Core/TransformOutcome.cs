namespace StreamingCodeGeneration.RepoTransform;

/// <summary>How a run ended, as the history records it.</summary>
public enum TransformOutcome
{
    /// <summary>A diff was produced.</summary>
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
}
