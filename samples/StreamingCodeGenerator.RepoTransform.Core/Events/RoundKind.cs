namespace StreamingCodeGeneration.RepoTransform;

/// <summary>What a model request of a run is for.</summary>
public enum RoundKind
{
    /// <summary>The first request: make the change.</summary>
    Generate,

    /// <summary>A reflection request: review the diff, answer [CONFIDENT] or [REVISION NEEDED] with revised files.</summary>
    Review,

    /// <summary>A revision request after a check failed: the check's output goes back to the model, which writes the files again.</summary>
    Fix,
}
