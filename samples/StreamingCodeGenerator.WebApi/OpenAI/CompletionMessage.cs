namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>The assistant's message in a <c>chat.completion</c>.</summary>
internal sealed record CompletionMessage(string Content, string? Refusal)
{
    public string Role => "assistant";
}
