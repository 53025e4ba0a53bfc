using System.ClientModel.Primitives;

namespace StreamingCodeGeneration;

/// <summary>A pipeline policy that adjusts each request, then passes it on (sync and async alike).</summary>
internal abstract class RequestPolicy : PipelinePolicy
{
    public sealed override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public sealed override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }

    /// <summary>Changes the request before it is sent.</summary>
    protected abstract void Apply(PipelineMessage message);
}
