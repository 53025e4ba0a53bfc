using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration;

/// <summary>Scans every character of every run: the one-shot encoder's scanner, which remembers nothing.</summary>
internal struct PlainRunScanner : IRunScanner
{
    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int Skip(ReadOnlySpan<char> text, int i, int mask, bool noneOf, int trackMask, out int trackedEnd, ref bool hitEnd)
        => PreTokenizer.SkipRun(text, i, mask, noneOf, trackMask, out trackedEnd, ref hitEnd);

    /// <inheritdoc />
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly int SkipNewLines(ReadOnlySpan<char> text, int i, bool slashes, ref bool hitEnd)
        => PreTokenizer.SkipNewLinesRun(text, i, slashes, ref hitEnd);
}
