namespace StreamingCodeGeneration.RepoTransform;

/// <summary>What the model asks for a file.</summary>
public enum FileEditKind
{
    /// <summary>Write these complete contents (a new file, or new contents for an existing one).</summary>
    Write,

    /// <summary>Delete the file.</summary>
    Delete,
}
