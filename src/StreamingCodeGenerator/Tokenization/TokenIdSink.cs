namespace StreamingCodeGeneration;

/// <summary>Collects token ids.</summary>
internal readonly struct TokenIdSink : ITokenSink
{
    /// <summary>Initializes a new instance of the <see cref="TokenIdSink"/> struct.</summary>
    public TokenIdSink(List<int> ids) => Ids = ids;

    /// <summary>Gets the ids so far.</summary>
    public List<int> Ids { get; }

    /// <inheritdoc />
    public bool OnToken(int id, int end)
    {
        Ids.Add(id);
        return true;
    }

    /// <inheritdoc />
    public bool OnTokens(BpeVocabulary vocabulary, ReadOnlySpan<byte> piece, ReadOnlySpan<int> boundaries, ReadOnlySpan<char> chars, int start)
    {
        for (int k = 0; k + 1 < boundaries.Length; k++)
        {
            Ids.Add(vocabulary.GetRank(piece[boundaries[k]..boundaries[k + 1]]));
        }

        return true;
    }
}
