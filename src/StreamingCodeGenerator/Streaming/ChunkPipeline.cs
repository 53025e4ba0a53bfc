using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace StreamingCodeGeneration;

/// <summary>
/// Turns accepted text into the chunks the caller receives: the fence segmenter splits deltas where code and
/// explanation meet, the granularity chunker regroups them into lines or words when asked, the collector keeps what
/// the result needs (explanation and code blocks), and merging joins small chunks of one run until they are long
/// enough or have waited long enough. It is the only owner of <see cref="Chunk.Index"/>: an index is given when a
/// chunk is taken, so merged chunks never leave gaps.
/// </summary>
internal sealed class ChunkPipeline
{
    private readonly CodeFenceSegmenter _segmenter = new();
    private readonly GranularityChunker? _chunker;
    private readonly CodeBlockCollector _collector = new();
    private readonly List<TextSegment> _segments = [];
    private readonly List<TextSegment> _regrouped = [];
    private readonly Queue<Piece> _pending = new();
    private readonly int _minChunkCharacters;
    private readonly TimeSpan _maxChunkDelay;
    private int _nextIndex;
    private bool _completed;

    public ChunkPipeline(ChunkGranularity granularity, int minChunkCharacters, TimeSpan maxChunkDelay)
    {
        _chunker = granularity == ChunkGranularity.Delta ? null : new GranularityChunker(granularity);
        _minChunkCharacters = minChunkCharacters;
        _maxChunkDelay = maxChunkDelay;
    }

    /// <summary>The code blocks and explanation of everything pushed; complete after <see cref="Complete"/>.</summary>
    public CodeBlockCollector Collector => _collector;

    /// <summary>Whether text is waiting to be taken.</summary>
    public bool HasPending => _pending.Count > 0;

    /// <summary>When the oldest waiting piece must be delivered (merging never holds text past it).</summary>
    public TimeSpan Deadline => _pending.Peek().Arrival + _maxChunkDelay;

    /// <summary>Whether merging may hold text back (so a reader should wake up at <see cref="Deadline"/>).</summary>
    public bool Merges => _minChunkCharacters > 0;

    /// <summary>Adds answer text that arrived at <paramref name="now"/>.</summary>
    public void PushText(string text, TimeSpan now)
    {
        _segments.Clear();
        _segmenter.Push(text, _segments);
        Regroup(now);
    }

    /// <summary>Adds reasoning: a piece of its own kind, outside the answer's segmentation and code blocks.</summary>
    public void PushReasoning(string text, TimeSpan now) =>
        _pending.Enqueue(new Piece(new TextSegment(ChunkKind.Reasoning, null, _segmenter.BlockCount, text), null, now));

    /// <summary>End of the answer: releases held text (an unfinished fence line, line or word) and completes the collector.</summary>
    public void Complete(TimeSpan now)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        _segments.Clear();
        _segmenter.Complete(_segments);
        Regroup(now);
        if (_chunker is not null)
        {
            _regrouped.Clear();
            _chunker.Complete(_regrouped);
            Enqueue(_regrouped, now);
        }

        _collector.Complete();
    }

    /// <summary>
    /// Takes the next chunk when it is ready: always without merging; with merging, when its run is long enough, another
    /// run follows, the answer is complete, it has waited <c>MaxChunkDelay</c>, or <paramref name="force"/> is set.
    /// </summary>
    public bool TryTake(TimeSpan now, bool force, [NotNullWhen(true)] out Chunk? chunk)
    {
        chunk = null;
        if (_pending.Count == 0)
        {
            return false;
        }

        if (_minChunkCharacters == 0)
        {
            chunk = _pending.Dequeue().ToChunk(_nextIndex++);
            return true;
        }

        Piece head = _pending.Peek();
        int characters = 0, count = 0;
        bool boundary = false, closesBlock = false;
        foreach (Piece next in _pending)
        {
            if (!next.Segment.HasSameRunAs(head.Segment))
            {
                boundary = true;
                break;
            }

            characters += next.Segment.Text.Length;
            closesBlock |= next.Segment.ClosesBlock;
            count++;
        }

        if (!(force || boundary || _completed || characters >= _minChunkCharacters || now - head.Arrival >= _maxChunkDelay))
        {
            return false;
        }

        if (count == 1)
        {
            chunk = _pending.Dequeue().ToChunk(_nextIndex++);
            return true;
        }

        var text = new StringBuilder(characters);
        Piece last = head;
        for (int i = 0; i < count; i++)
        {
            last = _pending.Dequeue();
            text.Append(last.Segment.Text);
        }

        chunk = new Chunk(_nextIndex++, text.ToString(), last.Arrival, head.Segment.Kind, head.Segment.BlockIndex, last.Block ?? head.Block, closesBlock);
        return true;
    }

    private void Regroup(TimeSpan now)
    {
        if (_chunker is null)
        {
            Enqueue(_segments, now);
            return;
        }

        _regrouped.Clear();
        foreach (TextSegment segment in _segments)
        {
            _chunker.Push(segment, _regrouped);
        }

        Enqueue(_regrouped, now);
    }

    private void Enqueue(List<TextSegment> segments, TimeSpan now)
    {
        foreach (TextSegment segment in segments)
        {
            _collector.Add(segment);
            BlockAttributes? block = segment.Kind == ChunkKind.Explanation ? null : _collector.CurrentBlock;
            _pending.Enqueue(new Piece(segment, block, now));
        }
    }

    /// <summary>A segment waiting to be delivered, with what its block's chunks share and when it arrived.</summary>
    private readonly record struct Piece(TextSegment Segment, BlockAttributes? Block, TimeSpan Arrival)
    {
        public Chunk ToChunk(int index) =>
            new(index, Segment.Text, Arrival, Segment.Kind, Segment.BlockIndex, Block, Segment.ClosesBlock);
    }
}
