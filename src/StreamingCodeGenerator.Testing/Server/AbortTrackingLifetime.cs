using Microsoft.AspNetCore.Http.Features;

namespace StreamingCodeGeneration.Testing;

/// <summary>
/// Wraps Kestrel's request lifetime so the server learns at once when a script calls <c>HttpContext.Abort()</c>:
/// Kestrel cancels <c>RequestAborted</c> for an abort on a thread-pool thread, possibly after the script has returned,
/// too late to count as a disconnect.
/// </summary>
internal sealed class AbortTrackingLifetime(IHttpRequestLifetimeFeature inner, Action onAbort) : IHttpRequestLifetimeFeature
{
    public CancellationToken RequestAborted
    {
        get => inner.RequestAborted;
        set => inner.RequestAborted = value;
    }

    public void Abort()
    {
        onAbort();
        inner.Abort();
    }
}
