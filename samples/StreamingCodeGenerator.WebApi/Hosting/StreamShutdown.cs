using Microsoft.Extensions.Options;

namespace StreamingCodeGeneration.WebApi.Hosting;

/// <summary>
/// Graceful shutdown for streams: when the host begins to stop, running streams get
/// <see cref="WebApiOptions.ShutdownGracePeriod"/> to finish; then <see cref="Stopping"/> fires and they end with an
/// in-band error before the host closes the connections.
/// </summary>
internal sealed class StreamShutdown : IDisposable
{
    private readonly CancellationTokenSource _stopping;
    private readonly CancellationTokenRegistration _registration;

    public StreamShutdown(IHostApplicationLifetime lifetime, IOptions<WebApiOptions> options, TimeProvider time)
    {
        TimeSpan grace = options.Value.ShutdownGracePeriod;
        _stopping = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _registration = lifetime.ApplicationStopping.Register(() =>
        {
            if (grace <= TimeSpan.Zero)
            {
                _stopping.Cancel();
            }
            else
            {
                _stopping.CancelAfter(grace);
            }
        });
    }

    /// <summary>Gets the token that fires when the grace period after the start of shutdown is over.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void Dispose()
    {
        _registration.Dispose();
        _stopping.Dispose();
    }
}
