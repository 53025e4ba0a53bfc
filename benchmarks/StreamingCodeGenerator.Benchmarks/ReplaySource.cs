using System.Runtime.CompilerServices;

namespace StreamingCodeGeneration.Benchmarks;

/// <summary>A source that replays parsed updates from memory: the engine above the transport, without a network.</summary>
internal sealed class ReplaySource(ChatUpdate[] updates) : IChatUpdateSource
{
    public string ProviderName => "replay";

    public Uri? ServerAddress => null;

    public async IAsyncEnumerable<ChatUpdate> StreamAsync(ChatAttempt attempt, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask.ConfigureAwait(false);
        foreach (ChatUpdate update in updates)
        {
            yield return update;
        }
    }
}
