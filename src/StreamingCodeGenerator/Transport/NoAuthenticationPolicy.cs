using System.ClientModel.Primitives;

namespace StreamingCodeGeneration;

/// <summary>Sends no credentials: for local servers (Ollama, vLLM, LM Studio) configured without an API key.</summary>
internal sealed class NoAuthenticationPolicy : AuthenticationPolicy
{
    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessNext(message, pipeline, currentIndex);

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex) =>
        ProcessNextAsync(message, pipeline, currentIndex);
}
