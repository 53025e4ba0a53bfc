namespace StreamingCodeGeneration.Samples.Console;

/// <summary>A code block written by <c>--save</c>.</summary>
/// <param name="BlockIndex">The block's 0-based index in the answer.</param>
/// <param name="RelativePath">The path inside the folder, with <c>/</c> separators.</param>
/// <param name="FullPath">Where it was written.</param>
internal sealed record SavedFile(int BlockIndex, string RelativePath, string FullPath);
