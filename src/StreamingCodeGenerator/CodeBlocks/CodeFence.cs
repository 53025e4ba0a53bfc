namespace StreamingCodeGeneration;

/// <summary>
/// An opening code fence as the segmenter parsed it, once per block: the code and fence segments of the block carry
/// it, so nothing downstream parses the fence line again.
/// </summary>
/// <param name="InfoString">The text after the fence characters, trimmed of spaces and tabs.</param>
/// <param name="Indentation">The fence's indentation in columns (that many leading spaces are removed from each code line).</param>
/// <param name="FileName">The file name the info string names (<c>title="a.py"</c>, <c>py:a.py</c>…), if any.</param>
internal sealed record CodeFence(string InfoString, int Indentation, string? FileName);
