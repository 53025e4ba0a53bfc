using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <summary>What a script may need besides the <see cref="HttpContext"/>; set as a request feature by the server.</summary>
internal sealed class RequestScope(RecordedRequest request, TimeProvider timeProvider, TimeSpan waitTimeout)
{
    public RecordedRequest Request { get; } = request;

    public TimeProvider TimeProvider { get; } = timeProvider;

    public TimeSpan WaitTimeout { get; } = waitTimeout;

    public static RequestScope? Of(HttpContext context) => context.Features.Get<RequestScope>();
}
