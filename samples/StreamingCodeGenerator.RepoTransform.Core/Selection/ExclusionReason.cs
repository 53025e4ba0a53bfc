namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Why a repository file was not shown to the model.</summary>
public enum ExclusionReason
{
    /// <summary>Binary, or not valid UTF-8 text.</summary>
    Binary,

    /// <summary>A dependency lock file (<c>package-lock.json</c>, <c>yarn.lock</c>, <c>go.sum</c>, <c>*.lock</c>…).</summary>
    LockFile,

    /// <summary>Generated or build output (<c>*.min.js</c>, <c>*.g.cs</c>, <c>node_modules/</c>, <c>bin/</c>, a "generated" header…).</summary>
    Generated,

    /// <summary>Larger than <see cref="RepositoryTransformerOptions.MaxFileBytes"/>.</summary>
    TooLarge,

    /// <summary>A symbolic link (never followed).</summary>
    SymbolicLink,

    /// <summary>A git submodule.</summary>
    Submodule,

    /// <summary>Tracked by git but missing from the work tree.</summary>
    Missing,

    /// <summary>A text file that did not fit in the prompt token budget after more relevant files.</summary>
    OverBudget,

    /// <summary>Not read: the run had read <see cref="RepositoryTransformerOptions.MaxBytesRead"/> bytes of files more relevant by path.</summary>
    NotRead,
}
