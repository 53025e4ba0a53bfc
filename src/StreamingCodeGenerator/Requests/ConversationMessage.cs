namespace StreamingCodeGeneration;

/// <summary>One message of a conversation sent to the model.</summary>
public sealed record ConversationMessage
{
    /// <summary>Creates a message.</summary>
    /// <param name="role">Who says it.</param>
    /// <param name="content">What is said.</param>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    public ConversationMessage(MessageRole role, string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        Role = role;
        Content = content;
    }

    /// <summary>Gets who says the message.</summary>
    public MessageRole Role { get; }

    /// <summary>Gets the text of the message.</summary>
    public string Content { get; }

    /// <summary>Creates a system message.</summary>
    /// <param name="content">The instructions.</param>
    /// <returns>The message.</returns>
    public static ConversationMessage System(string content) => new(MessageRole.System, content);

    /// <summary>Creates a user message.</summary>
    /// <param name="content">The question or task.</param>
    /// <returns>The message.</returns>
    public static ConversationMessage User(string content) => new(MessageRole.User, content);

    /// <summary>Creates an assistant message.</summary>
    /// <param name="content">An earlier answer.</param>
    /// <returns>The message.</returns>
    public static ConversationMessage Assistant(string content) => new(MessageRole.Assistant, content);
}
