namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The outcome of the reflection rounds.</summary>
public enum ReviewVerdict
{
    /// <summary>No review ran (reflection off, nothing changed, or the review did not fit the budget).</summary>
    NotReviewed,

    /// <summary>The last review answered <c>[CONFIDENT]</c>.</summary>
    Confident,

    /// <summary>The last review answered <c>[REVISION NEEDED]</c>; its revision is in the diff, but no rounds were left to review it.</summary>
    RevisionNeeded,

    /// <summary>The last review's first line was neither marker; the diff before it stands, and the run says so.</summary>
    Unrecognized,
}
