namespace StreamingCodeGeneration.RepoTransform;

/// <summary>The repository is open: a local folder, or a finished shallow clone.</summary>
/// <param name="Repository">The repository as the request named it, without credentials.</param>
/// <param name="Root">The work tree's root folder (a temporary folder for a clone).</param>
/// <param name="Commit">The commit checked out, when it is a git repository with commits.</param>
/// <param name="IsClone">Whether the repository was cloned from a URL.</param>
/// <param name="FileCount">How many files were listed (tracked files in a git repository).</param>
public sealed record RepositoryOpened(string Repository, string Root, string? Commit, bool IsClone, int FileCount) : TransformEvent;
