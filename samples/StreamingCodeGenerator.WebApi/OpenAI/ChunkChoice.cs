namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>The one choice of a chunk: the text delta, and the finish reason on the last.</summary>
internal sealed record ChunkChoice(int Index, ChunkDelta Delta, string? FinishReason)
{
    public ChoiceLogprobs? Logprobs => null;
}
