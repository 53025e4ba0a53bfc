using System.Text;

namespace StreamingCodeGeneration;

/// <summary>Counts the tokens of the text delivered so far, exactly and incrementally (O(length) over a stream).</summary>
internal sealed class TokenCounterHandle
{
    private readonly Tokenizer _tokenizer;
    private readonly IncrementalTokenCounter _counter;

    public TokenCounterHandle(Tokenizer tokenizer)
    {
        _tokenizer = tokenizer;
        _counter = new IncrementalTokenCounter(tokenizer);
    }

    /// <summary>Adds delivered text; returns the exact token count of everything delivered.</summary>
    public int Append(string text)
    {
        _counter.Append(text);
        return _counter.Count;
    }

    /// <summary>The count there would be after delivering <paramref name="pending"/> too (failure path only).</summary>
    public int CountWith(StringBuilder delivered, IEnumerable<Chunk> pending)
    {
        var all = new StringBuilder(delivered.Length + 64).Append(delivered);
        foreach (Chunk chunk in pending)
        {
            all.Append(chunk.Text);
        }

        return _tokenizer.CountTokens(all.ToString());
    }
}
