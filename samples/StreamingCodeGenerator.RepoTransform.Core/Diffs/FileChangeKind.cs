namespace StreamingCodeGeneration.RepoTransform;

/// <summary>What a change does to a file. A rename is a deletion plus an addition.</summary>
public enum FileChangeKind
{
    /// <summary>A new file.</summary>
    Added,

    /// <summary>New contents for an existing file.</summary>
    Modified,

    /// <summary>The file is removed.</summary>
    Deleted,
}
