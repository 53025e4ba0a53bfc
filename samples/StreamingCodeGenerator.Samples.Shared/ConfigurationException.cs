namespace StreamingCodeGeneration.Samples;

/// <summary>The command line or the environment does not say enough to connect to a model; the message says what to set.</summary>
public sealed class ConfigurationException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public ConfigurationException()
        : this("The configuration is incomplete.")
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What to set, in one line.</param>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What to set, in one line.</param>
    /// <param name="innerException">The cause.</param>
    public ConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
