namespace StreamingCodeGeneration;

/// <summary>The response body was not the expected server-sent events carrying chat completion JSON.</summary>
public sealed class MalformedResponseException : CodeGenerationException
{
    /// <summary>The longest excerpt of an offending line kept in <see cref="OffendingLine"/>.</summary>
    public const int MaxOffendingLineLength = 512;

    /// <summary>Creates an exception with a default message.</summary>
    public MalformedResponseException()
        : this("The server's response was malformed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public MalformedResponseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public MalformedResponseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    internal MalformedResponseException(string message, string? offendingLine, Exception? innerException)
        : base(message, innerException)
    {
        OffendingLine = offendingLine is null || offendingLine.Length <= MaxOffendingLineLength
            ? offendingLine
            : string.Concat(offendingLine.AsSpan(0, MaxOffendingLineLength), "…");
    }

    /// <summary>Gets the offending event data, cut to <see cref="MaxOffendingLineLength"/> characters.</summary>
    public string? OffendingLine { get; }
}
