namespace StreamingCodeGeneration.RepoTransform;

/// <summary>Where a repository comes from.</summary>
public enum RepositorySourceKind
{
    /// <summary>A folder on this machine, used in place (read only unless the run applies its change).</summary>
    LocalFolder,

    /// <summary>A git URL (https, ssh or file), cloned shallowly into a temporary folder that is removed afterwards.</summary>
    GitUrl,
}
