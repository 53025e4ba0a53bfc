using Microsoft.Extensions.Options;
using StreamingCodeGeneration.WebApi.Hosting;

namespace StreamingCodeGeneration.WebApi.Runs;

/// <summary>
/// How many repository transforms go on at once (<c>WebApi:Runs:MaxConcurrentRuns</c>): each clones, reads files and
/// holds a model stream, so past the limit a run is refused at once (503 with <c>Retry-After</c>) rather than queued.
/// </summary>
internal sealed class RunSlots(IOptions<WebApiOptions> options) : IDisposable
{
    /// <summary>How long a refused caller is asked to wait.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _slots = new(options.Value.Runs.MaxConcurrentRuns, options.Value.Runs.MaxConcurrentRuns);

    public int Limit { get; } = options.Value.Runs.MaxConcurrentRuns;

    /// <summary>Takes a slot; <see langword="null"/> when all are taken. Disposing the result gives it back.</summary>
    public IDisposable? TryTake() => _slots.Wait(0) ? new Slot(_slots) : null;

    public void Dispose() => _slots.Dispose();

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
