using System.Text;

namespace StreamingCodeGeneration;

/// <summary>
/// The one copy of a generation's answer: every piece of text accepted from the source, and how much of it has
/// reached the caller. What is accepted but not yet delivered (a possible fence held at a line start, a chunk held for
/// merging) is always its tail, so what the caller received is a prefix.
/// </summary>
internal sealed class AnswerText
{
    private readonly StringBuilder _text = new();
    private int _deliveredLength;

    /// <summary>The number of characters accepted from the source.</summary>
    public int AcceptedLength => _text.Length;

    /// <summary>Everything accepted from the source (what a continuation sends back).</summary>
    public string Accepted => _text.ToString();

    /// <summary>The number of characters the caller has received.</summary>
    public int DeliveredLength => _deliveredLength;

    /// <summary>Exactly the text the caller has received.</summary>
    public string Delivered => _text.ToString(0, _deliveredLength);

    public void Accept(string text) => _text.Append(text);

    public void MarkDelivered(int characters) => _deliveredLength += characters;
}
