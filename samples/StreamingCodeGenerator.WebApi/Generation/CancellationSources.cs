namespace StreamingCodeGeneration.WebApi.Generation;

/// <summary>The tokens linked into one generation, and which of them fired.</summary>
internal sealed class CancellationSources(
    CancellationToken client,
    CancellationToken shutdown,
    CancellationTokenSource deadline,
    CancellationTokenSource linked) : IDisposable
{
    public GenerationCancellation Cause() =>
        client.IsCancellationRequested ? GenerationCancellation.Client
        : shutdown.IsCancellationRequested ? GenerationCancellation.Shutdown
        : deadline.IsCancellationRequested ? GenerationCancellation.Deadline
        : GenerationCancellation.None;

    public void Dispose()
    {
        linked.Dispose();
        deadline.Dispose();
    }
}
