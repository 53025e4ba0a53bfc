namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A file as a repository lists it, before anything is read.</summary>
/// <param name="Path">The path relative to the root, with <c>/</c> separators.</param>
/// <param name="Mode">The git file mode (<c>100644</c>, <c>100755</c>, <c>120000</c> link, <c>160000</c> submodule).</param>
/// <param name="Size">The size in bytes, or <see langword="null"/> when the file is missing from the work tree (or is a submodule).</param>
/// <param name="ObjectId">The blob to read in a clone (read from git's objects, not a checkout); <see langword="null"/> for a work tree.</param>
internal sealed record RepositoryEntry(string Path, string Mode, long? Size, string? ObjectId);
