namespace StreamingCodeGeneration;

/// <summary>
/// The base of every exception this library throws for a failed generation. Nothing received is ever lost:
/// <see cref="PartialText"/> holds exactly the text delivered to the caller before the failure, and
/// <see cref="Stats"/> the progress at that moment.
/// </summary>
public class CodeGenerationException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public CodeGenerationException()
        : this("The code generation failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CodeGenerationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CodeGenerationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Gets the text delivered to the caller before the failure (empty when nothing was delivered).</summary>
    public string PartialText { get; private set; } = string.Empty;

    /// <summary>Gets the progress at the moment of the failure.</summary>
    public StreamStats Stats { get; private set; } = StreamStats.Empty;

    internal CodeGenerationException WithContext(string partialText, StreamStats stats)
    {
        PartialText = partialText;
        Stats = stats;
        return this;
    }
}
