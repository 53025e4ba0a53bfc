namespace StreamingCodeGeneration.WebApi.OpenAI;

/// <summary>
/// OpenAI's <c>logprobs</c> of a choice, which this service never returns (always <c>null</c>). A type of its own rather
/// than <see cref="object"/>: the JSON source generator writes a type with an <see cref="object"/> property through the
/// serializer's general path, which allocates per call, and every streamed chunk holds a choice.
/// </summary>
internal sealed class ChoiceLogprobs
{
    private ChoiceLogprobs()
    {
    }
}
