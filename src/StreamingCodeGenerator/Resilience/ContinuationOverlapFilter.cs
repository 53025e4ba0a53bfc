using System.Text;

namespace StreamingCodeGeneration;

/// <summary>
/// Drops the text a model repeats when asked to continue a broken answer. The start of the continuation is held
/// only while it could still be a repeat of the answer's tail; then the longest credible overlap is removed.
/// </summary>
/// <remarks>
/// An overlap counts when the repeated text is at least <see cref="MinOverlap"/> characters, is not only white space,
/// and either starts at the beginning of a line of the answer (models restart the current line) or is at least
/// <see cref="MinMidLineOverlap"/> characters long. Shorter coincidences (a closing brace, indentation) are kept. An
/// exact continuation is cut only if it happens to begin by repeating the whole unfinished line before it.
/// </remarks>
internal sealed class ContinuationOverlapFilter
{
    public const int MaxOverlap = 1024;
    public const int MinOverlap = 3;
    public const int MinMidLineOverlap = 32;

    private readonly string _tail;
    private readonly bool _tailIsWholeAnswer;
    private readonly StringBuilder _held = new();

    public ContinuationOverlapFilter(string answerSoFar)
    {
        int length = Math.Min(answerSoFar.Length, MaxOverlap + 1);
        _tail = answerSoFar[^length..];
        _tailIsWholeAnswer = length == answerSoFar.Length;
    }

    public bool IsDecided { get; private set; }

    /// <summary>Takes continuation text; returns what can be released (<see langword="null"/> while still holding).</summary>
    public string? Push(string text)
    {
        _held.Append(text);
        return IsAmbiguous() ? null : Decide();
    }

    /// <summary>The continuation ended: decide with what arrived.</summary>
    public string Flush() => Decide();

    private bool IsAmbiguous()
    {
        if (_held.Length >= MaxOverlap)
        {
            return false;
        }

        string held = _held.ToString();
        for (int start = 0; start < _tail.Length - held.Length; start++)
        {
            if (_tail.AsSpan(start).StartsWith(held, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private string Decide()
    {
        IsDecided = true;
        string held = _held.ToString();
        for (int k = Math.Min(held.Length, _tail.Length); k >= MinOverlap; k--)
        {
            if (_tail.AsSpan(_tail.Length - k).SequenceEqual(held.AsSpan(0, k)) && IsCredible(k))
            {
                return held[k..];
            }
        }

        return held;
    }

    private bool IsCredible(int length)
    {
        ReadOnlySpan<char> overlap = _tail.AsSpan(_tail.Length - length);
        if (overlap.IsWhiteSpace())
        {
            return false;
        }

        if (length >= MinMidLineOverlap)
        {
            return true;
        }

        int before = _tail.Length - length - 1;
        return before < 0 ? _tailIsWholeAnswer : _tail[before] == '\n';
    }
}
