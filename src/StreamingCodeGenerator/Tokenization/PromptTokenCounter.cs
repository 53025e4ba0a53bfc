namespace StreamingCodeGeneration;

/// <summary>
/// Counts a chat request's prompt tokens the way OpenAI bills chat messages: each message costs its role and content
/// plus 3 tokens of framing, and the reply is primed with 3 more.
/// </summary>
internal static class PromptTokenCounter
{
    private const int TokensPerMessage = 3;
    private const int ReplyPriming = 3;

    public static int Count(Tokenizer tokenizer, IReadOnlyList<ConversationMessage> messages)
    {
        int total = ReplyPriming;
        foreach (ConversationMessage message in messages)
        {
            total += TokensPerMessage + tokenizer.CountTokens(RoleName(message.Role)) + tokenizer.CountTokens(message.Content);
        }

        return total;
    }

    private static string RoleName(MessageRole role) => role switch
    {
        MessageRole.System => "system",
        MessageRole.Assistant => "assistant",
        _ => "user",
    };
}
