namespace StreamingCodeGeneration;

/// <summary>
/// Receives the tokens of <see cref="Tokenizer"/>'s single encoding loop. Implemented by structs and passed by
/// reference as a generic argument, so counting, encoding and budgeting share one loop without virtual calls.
/// </summary>
internal interface ITokenSink
{
    /// <summary>One token whose text ends at char index <paramref name="end"/>.</summary>
    /// <returns><see langword="false"/> to stop encoding.</returns>
    bool OnToken(int id, int end);

    /// <summary>
    /// A piece that byte-pair merging split into several tokens: token <c>k</c> is
    /// <c>piece[boundaries[k]..boundaries[k + 1]]</c>; the piece's text is <paramref name="chars"/>, starting at char
    /// index <paramref name="start"/>.
    /// </summary>
    /// <returns><see langword="false"/> to stop encoding.</returns>
    bool OnTokens(BpeVocabulary vocabulary, ReadOnlySpan<byte> piece, ReadOnlySpan<int> boundaries, ReadOnlySpan<char> chars, int start);
}
