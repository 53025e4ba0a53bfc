namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>The one choice of a <c>chat.completion</c>.</summary>
internal sealed record CompletionChoice(int Index, CompletionMessage Message, string FinishReason)
{
    public ChoiceLogprobs? Logprobs => null;
}
