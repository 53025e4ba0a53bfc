namespace StreamingCodeGeneration;

/// <summary>
/// Accepts tokens while they fit in a budget and remembers the char index where the accepted tokens end. Stops the
/// encoding at the first token that does not fit. Inside a multi-token piece it only stops where a token boundary
/// falls between two code points.
/// </summary>
internal struct TokenBudgetSink : ITokenSink
{
    private readonly int _maxTokens;

    /// <summary>Initializes a new instance of the <see cref="TokenBudgetSink"/> struct.</summary>
    public TokenBudgetSink(int maxTokens) => _maxTokens = maxTokens;

    /// <summary>The number of accepted tokens.</summary>
    public int Count;

    /// <summary>The char index just after the text of the accepted tokens.</summary>
    public int Index;

    /// <inheritdoc />
    public bool OnToken(int id, int end)
    {
        if (Count >= _maxTokens)
        {
            return false;
        }

        Count++;
        Index = end;
        return true;
    }

    /// <inheritdoc />
    public bool OnTokens(BpeVocabulary vocabulary, ReadOnlySpan<byte> piece, ReadOnlySpan<int> boundaries, ReadOnlySpan<char> chars, int start)
    {
        int tokens = boundaries.Length - 1;
        if (Count + tokens <= _maxTokens)
        {
            Count += tokens;
            Index = start + chars.Length;
            return true;
        }

        // Walk the tokens that still fit, mapping byte offsets back to char offsets.
        int acceptedBefore = Count;
        int available = _maxTokens - acceptedBefore;
        int charIndex = 0;
        int byteIndex = 0;
        for (int k = 1; k <= available; k++)
        {
            int tokenEnd = boundaries[k];
            while (byteIndex < tokenEnd)
            {
                char c = chars[charIndex];
                if (char.IsHighSurrogate(c) && charIndex + 1 < chars.Length && char.IsLowSurrogate(chars[charIndex + 1]))
                {
                    byteIndex += 4;
                    charIndex += 2;
                }
                else
                {
                    byteIndex += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
                    charIndex++;
                }
            }

            // A token that ends inside a code point's bytes cannot be cut after.
            if (byteIndex == tokenEnd)
            {
                Count = acceptedBefore + k;
                Index = start + charIndex;
            }
        }

        return false;
    }
}
