namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The base of the failures the transform agent itself reports (the model's failures are the library's
/// <see cref="CodeGenerationException"/>s). The message is one sentence a person can act on.
/// </summary>
public class TransformException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public TransformException()
        : this("The repository transform failed.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public TransformException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public TransformException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
