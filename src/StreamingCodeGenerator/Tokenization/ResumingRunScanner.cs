namespace StreamingCodeGeneration;

/// <summary>
/// The incremental counter's scanner: a run that reached the end of the text so far is remembered (where it started,
/// where it stopped, what it tracked), and the next scan of the same run from the same start resumes where it stopped
/// instead of rescanning characters that cannot have changed. A run that stopped at a character is final and is
/// answered from memory. Only runs of at least <see cref="MinRememberedLength"/> characters are remembered.
/// </summary>
/// <remarks>
/// Text only grows at its end, so a run's result changes only if it reached the end; the one exception is a high
/// surrogate in the last position, whose class depends on the next code unit, so a remembered run never stops
/// past one. Positions are kept as absolute offsets in the whole stream (<see cref="Base"/> is the offset of the
/// text's first character), so forgetting the text in front of the pending tail does not invalidate them.
/// </remarks>
internal sealed class ResumingRunScanner
{
    /// <summary>Runs shorter than this are cheap to rescan and are not remembered.</summary>
    internal const int MinRememberedLength = 32;

    private const int Capacity = 8;

    private readonly Run[] _runs = new Run[Capacity];
    private int _nextSlot;
    private int _inUse;
    private long _base;

    /// <summary>
    /// Gets or sets the absolute offset of the first character of the text being scanned; runs that start before it
    /// are forgotten.
    /// </summary>
    public long Base
    {
        get => _base;
        set
        {
            _base = value;
            if (_inUse == 0)
            {
                return;
            }

            for (int slot = 0; slot < Capacity; slot++)
            {
                if (_runs[slot].InUse && _runs[slot].Start < value)
                {
                    _runs[slot] = default;
                    _inUse--;
                }
            }
        }
    }

    /// <summary>Gets the number of characters scanned so far (for tests: resumed runs are not scanned again).</summary>
    public long CharsScanned { get; private set; }

    /// <summary>Forgets every run.</summary>
    public void Clear()
    {
        Array.Clear(_runs);
        _nextSlot = 0;
        _inUse = 0;
    }

    /// <summary>Gets the scanner struct that <see cref="PreTokenizer"/> takes.</summary>
    public Scanner AsScanner() => new(this);

    private int Skip(ReadOnlySpan<char> text, int i, int mask, bool noneOf, int trackMask, out int trackedEnd, ref bool hitEnd)
    {
        int kind = mask | (noneOf ? 0x100 : 0) | (trackMask << 9);
        long absoluteStart = Base + i;
        int slot = Find(absoluteStart, kind);
        int resumeAt = i;
        int tracked = -1;
        if (slot >= 0)
        {
            ref Run run = ref _runs[slot];
            tracked = run.TrackedEnd < 0 ? -1 : (int)(run.TrackedEnd - Base);
            if (run.Final)
            {
                trackedEnd = tracked;
                return (int)(run.Stop - Base);
            }

            resumeAt = (int)(run.Stop - Base);
        }

        int stop = PreTokenizer.SkipRun(text, resumeAt, mask, noneOf, trackMask, out int more, ref hitEnd);
        CharsScanned += stop - resumeAt;
        if (more >= 0)
        {
            tracked = more;
        }

        if (slot >= 0 || stop - i >= MinRememberedLength)
        {
            int settled = SettledLength(text);
            Remember(slot, absoluteStart, kind, Base + Math.Min(stop, settled), stop < settled, tracked < 0 ? -1 : Base + tracked);
        }

        trackedEnd = tracked;
        return stop;
    }

    private int SkipNewLines(ReadOnlySpan<char> text, int i, bool slashes, ref bool hitEnd)
    {
        int kind = slashes ? 0x10000 : 0x20000;
        long absoluteStart = Base + i;
        int slot = Find(absoluteStart, kind);
        int resumeAt = i;
        if (slot >= 0)
        {
            ref Run run = ref _runs[slot];
            if (run.Final)
            {
                return (int)(run.Stop - Base);
            }

            resumeAt = (int)(run.Stop - Base);
        }

        int stop = PreTokenizer.SkipNewLinesRun(text, resumeAt, slashes, ref hitEnd);
        CharsScanned += stop - resumeAt;
        if (slot >= 0 || stop - i >= MinRememberedLength)
        {
            Remember(slot, absoluteStart, kind, Base + stop, stop < text.Length, -1);
        }

        return stop;
    }

    /// <summary>The length of the part of <paramref name="text"/> whose classes are known: all but a trailing high surrogate.</summary>
    private static int SettledLength(ReadOnlySpan<char> text)
        => text.Length > 0 && char.IsHighSurrogate(text[^1]) ? text.Length - 1 : text.Length;

    private int Find(long start, int kind)
    {
        if (_inUse == 0)
        {
            return -1; // the common case: no run long enough to remember
        }

        for (int slot = 0; slot < Capacity; slot++)
        {
            ref Run run = ref _runs[slot];
            if (run.Start == start && run.Kind == kind && run.InUse)
            {
                return slot;
            }
        }

        return -1;
    }

    private void Remember(int slot, long start, int kind, long stop, bool final, long trackedEnd)
    {
        if (slot < 0)
        {
            // A free slot, else the oldest.
            for (int candidate = 0; candidate < Capacity && slot < 0; candidate++)
            {
                if (!_runs[candidate].InUse)
                {
                    slot = candidate;
                }
            }

            if (slot < 0)
            {
                slot = _nextSlot;
                _nextSlot = (_nextSlot + 1) % Capacity;
            }
            else
            {
                _inUse++;
            }
        }

        _runs[slot] = new Run(start, kind, stop, trackedEnd, final, InUse: true);
    }

    /// <summary>The struct <see cref="PreTokenizer"/> is generic over; it forwards to the owning instance.</summary>
    internal readonly struct Scanner(ResumingRunScanner owner) : IRunScanner
    {
        /// <inheritdoc />
        public int Skip(ReadOnlySpan<char> text, int i, int mask, bool noneOf, int trackMask, out int trackedEnd, ref bool hitEnd)
            => owner.Skip(text, i, mask, noneOf, trackMask, out trackedEnd, ref hitEnd);

        /// <inheritdoc />
        public int SkipNewLines(ReadOnlySpan<char> text, int i, bool slashes, ref bool hitEnd)
            => owner.SkipNewLines(text, i, slashes, ref hitEnd);
    }

    private readonly record struct Run(long Start, int Kind, long Stop, long TrackedEnd, bool Final, bool InUse);
}
