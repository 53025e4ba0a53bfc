namespace StreamingCodeGeneration.RepoTransform;

/// <summary>
/// The model named a path that would leave the repository or touch <c>.git/</c>: an absolute path, a <c>..</c>
/// segment, a path through a symbolic link, or a path inside <c>.git</c>. The whole run is rejected and nothing is written.
/// </summary>
public sealed class UnsafePathException : TransformException
{
    /// <summary>Creates an exception with a default message.</summary>
    public UnsafePathException()
        : this("The model named a path outside the repository; nothing was written.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public UnsafePathException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public UnsafePathException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a refused path.</summary>
    /// <param name="path">The path as the model wrote it.</param>
    /// <param name="reason">Why it is refused, for example "it is absolute".</param>
    public UnsafePathException(string path, string reason)
        : base($"Refused the path '{Printable(path)}' named by the model: {reason}. Paths must be relative, stay inside the repository, not pass through symbolic links and not touch .git/; nothing was written.")
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>Gets the path as the model wrote it.</summary>
    public string? Path { get; }

    /// <summary>Gets why the path was refused.</summary>
    public string? Reason { get; }

    private static string Printable(string path)
    {
        Span<char> buffer = path.Length <= 256 ? stackalloc char[path.Length] : new char[path.Length];
        for (int i = 0; i < path.Length; i++)
        {
            buffer[i] = char.IsControl(path[i]) ? '?' : path[i];
        }

        return buffer.Length > 200 ? string.Concat(buffer[..200], "…") : buffer.ToString();
    }
}
