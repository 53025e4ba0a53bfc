using System.Text;

namespace StreamingCodeGeneration;

/// <summary>Internal signal from the parsing layer; the engine turns it into a <see cref="MalformedResponseException"/> with context.</summary>
internal sealed class SseProtocolException : Exception
{
    public SseProtocolException(string message, ReadOnlySpan<byte> offendingData, Exception? inner = null)
        : base(message, inner)
    {
        int length = Math.Min(offendingData.Length, MalformedResponseException.MaxOffendingLineLength * 4);
        OffendingLine = offendingData.IsEmpty ? null : Encoding.UTF8.GetString(offendingData[..length]);
    }

    public string? OffendingLine { get; }
}
