namespace StreamingCodeGeneration;

/// <summary>Counts tokens without materialising ids.</summary>
internal struct TokenCountSink : ITokenSink
{
    /// <summary>The number of tokens so far.</summary>
    public int Count;

    /// <inheritdoc />
    public bool OnToken(int id, int end)
    {
        Count++;
        return true;
    }

    /// <inheritdoc />
    public bool OnTokens(BpeVocabulary vocabulary, ReadOnlySpan<byte> piece, ReadOnlySpan<int> boundaries, ReadOnlySpan<char> chars, int start)
    {
        Count += boundaries.Length - 1;
        return true;
    }
}
