namespace StreamingCodeGeneration.RepoTransform;

/// <summary>A file the model's answer writes or deletes.</summary>
/// <param name="Path">The checked path relative to the root.</param>
/// <param name="Kind">Write or delete.</param>
/// <param name="Content">The complete new contents with <c>\n</c> endings, for <see cref="FileEditKind.Write"/>.</param>
internal sealed record FileEdit(string Path, FileEditKind Kind, string? Content);
