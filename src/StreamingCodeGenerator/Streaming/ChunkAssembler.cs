namespace StreamingCodeGeneration;

/// <summary>Turns accepted answer text into the chunks the caller receives.</summary>
internal sealed class ChunkAssembler
{
    private readonly Func<TimeSpan> _clock;
    private int _nextIndex;

    public ChunkAssembler(ChunkGranularity granularity, Func<TimeSpan> clock)
    {
        Granularity = granularity;
        _clock = clock;
    }

    public ChunkGranularity Granularity { get; }

    /// <summary>Whether text is held back (a possible fence at a line start, an unfinished line or word).</summary>
    public bool HasHeldText => false;

    public void Push(string text, Queue<Chunk> output) =>
        output.Enqueue(new Chunk(_nextIndex++, text, _clock(), ChunkKind.Explanation, null, -1));

    public void Complete(Queue<Chunk> output)
    {
    }
}
