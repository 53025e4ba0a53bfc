namespace StreamingCodeGeneration.Samples.Console;

/// <summary>A code block's file name (written by the model, so untrusted) would put a file outside the <c>--save</c> folder.</summary>
internal sealed class UnsafeFileNameException : Exception
{
    public UnsafeFileNameException(string fileName, string reason)
        : base($"Refused to save '{CommandLineErrors.OneLine(fileName)}': {reason}; nothing was saved.")
    {
        FileName = fileName;
    }

    /// <summary>Gets the file name as the answer gave it.</summary>
    public string FileName { get; }
}
