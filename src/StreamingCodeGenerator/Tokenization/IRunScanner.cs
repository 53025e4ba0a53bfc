namespace StreamingCodeGeneration;

/// <summary>
/// Scans the runs of characters that <see cref="PreTokenizer"/>'s alternatives consume (letters, white space,
/// punctuation) for its generic entry points. Implemented by a struct passed by reference as a generic argument:
/// <see cref="ResumingRunScanner.Scanner"/> remembers long runs that reached the end of the text so far and resumes
/// them where they stopped, so that a growing piece is not rescanned from its start on every append.
/// </summary>
internal interface IRunScanner
{
    /// <summary>
    /// From <paramref name="i"/>, skips code points whose class has a bit of <paramref name="mask"/> (or, with
    /// <paramref name="noneOf"/>, has none); <paramref name="trackedEnd"/> is where the last skipped code point with a bit
    /// of <paramref name="trackMask"/> ends, or -1. Sets <paramref name="hitEnd"/> as scanning character by character would.
    /// </summary>
    /// <returns>The index of the first code point not skipped.</returns>
    int Skip(ReadOnlySpan<char> text, int i, int mask, bool noneOf, int trackMask, out int trackedEnd, ref bool hitEnd);

    /// <summary>From <paramref name="i"/>, skips <c>\r</c> and <c>\n</c> (and <c>/</c> with <paramref name="slashes"/>).</summary>
    /// <returns>The index of the first character not skipped.</returns>
    int SkipNewLines(ReadOnlySpan<char> text, int i, bool slashes, ref bool hitEnd);
}
