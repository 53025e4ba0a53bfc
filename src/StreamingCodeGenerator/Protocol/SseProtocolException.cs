using System.Text;

namespace StreamingCodeGeneration;

/// <summary>Internal signal from the parsing layer; the engine turns it into a <see cref="MalformedResponseException"/> with context.</summary>
internal sealed class SseProtocolException : Exception
{
    public SseProtocolException(string message, ReadOnlySpan<byte> offendingData, SecretRedactor redactor, Exception? inner = null)
        : base(redactor.Redact(message), inner)
    {
        int length = Math.Min(offendingData.Length, MalformedResponseException.MaxOffendingLineLength * 4);
        OffendingLine = offendingData.IsEmpty ? null : redactor.Redact(Encoding.UTF8.GetString(offendingData[..length]));
    }

    /// <summary>The offending event data (a bounded prefix), with secrets removed.</summary>
    public string? OffendingLine { get; }
}
