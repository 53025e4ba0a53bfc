using Microsoft.AspNetCore.Http;

namespace StreamingCodeGeneration.Testing;

/// <summary>What a hand-written script (a <c>Func&lt;HttpContext, Task&gt;</c>) can learn from the server that runs it.</summary>
public static class HttpContextTestServerExtensions
{
    /// <summary>Gets the request being answered, with its body already read (the script must not read the body again).</summary>
    /// <param name="context">The context the script was given.</param>
    /// <returns>The recorded request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The context does not come from an <see cref="OpenAITestServer"/>.</exception>
    public static RecordedRequest GetRecordedRequest(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RequestScope.Of(context)?.Request
            ?? throw new InvalidOperationException("This HttpContext was not given by an OpenAITestServer, so it has no recorded request.");
    }

    /// <summary>Gets the server's clock (<see cref="OpenAITestServerOptions.TimeProvider"/>), for delays a script makes itself.</summary>
    /// <param name="context">The context the script was given.</param>
    /// <returns>The server's clock, or <see cref="TimeProvider.System"/> outside an <see cref="OpenAITestServer"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public static TimeProvider GetTestTimeProvider(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return RequestScope.Of(context)?.TimeProvider ?? TimeProvider.System;
    }
}
