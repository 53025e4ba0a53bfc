namespace StreamingCodeGeneration;

/// <summary>
/// Turns accepted answer text into the chunks the caller receives: the fence segmenter splits deltas where code and
/// explanation meet, the granularity chunker regroups them into lines or words when asked, and the collector keeps
/// what the result needs (explanation and code blocks).
/// </summary>
internal sealed class ChunkAssembler
{
    private readonly Func<TimeSpan> _clock;
    private readonly CodeFenceSegmenter _segmenter = new();
    private readonly GranularityChunker? _chunker;
    private readonly CodeBlockCollector _collector = new();
    private readonly List<TextSegment> _segments = [];
    private readonly List<TextSegment> _regrouped = [];
    private int _nextIndex;
    private bool _completed;

    public ChunkAssembler(ChunkGranularity granularity, Func<TimeSpan> clock)
    {
        _clock = clock;
        _chunker = granularity == ChunkGranularity.Delta ? null : new GranularityChunker(granularity);
    }

    /// <summary>The code blocks and explanation of everything assembled; complete after <see cref="Complete"/>.</summary>
    public CodeBlockCollector Collector => _collector;

    public void Push(string text, Queue<Chunk> output)
    {
        _segments.Clear();
        _segmenter.Push(text, _segments);
        Emit(output);
    }

    /// <summary>Reasoning text: a chunk of its own kind, outside the answer's segmentation and code blocks.</summary>
    public void PushReasoning(string text, Queue<Chunk> output) =>
        output.Enqueue(new Chunk(_nextIndex++, text, _clock(), ChunkKind.Reasoning, null, _segmenter.BlockCount));

    /// <summary>End of the answer: release held text (an unfinished fence line, line or word).</summary>
    public void Complete(Queue<Chunk> output)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _segments.Clear();
        _segmenter.Complete(_segments);
        Emit(output);
        if (_chunker is not null)
        {
            _regrouped.Clear();
            _chunker.Complete(_regrouped);
            Enqueue(_regrouped, output);
        }

        _collector.Complete();
    }

    private void Emit(Queue<Chunk> output)
    {
        if (_chunker is null)
        {
            Enqueue(_segments, output);
            return;
        }

        _regrouped.Clear();
        foreach (TextSegment segment in _segments)
        {
            _chunker.Push(segment, _regrouped);
        }

        Enqueue(_regrouped, output);
    }

    private void Enqueue(List<TextSegment> segments, Queue<Chunk> output)
    {
        if (segments.Count == 0)
        {
            return;
        }

        TimeSpan now = _clock();
        foreach (TextSegment segment in segments)
        {
            _collector.Add(segment);
            string? fileName = segment.Kind == ChunkKind.Explanation ? null : _collector.CurrentFileName;
            output.Enqueue(new Chunk(_nextIndex++, segment.Text, now, segment.Kind, segment.Language, segment.BlockIndex, fileName));
        }
    }
}
