namespace StreamingCodeGeneration;

/// <summary>Who says a <see cref="ConversationMessage"/>.</summary>
public enum MessageRole
{
    /// <summary>Instructions for the model.</summary>
    System,

    /// <summary>The person asking.</summary>
    User,

    /// <summary>The model's earlier answers.</summary>
    Assistant,
}
