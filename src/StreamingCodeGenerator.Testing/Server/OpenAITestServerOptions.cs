namespace StreamingCodeGeneration.Testing;

/// <summary>Settings for an <see cref="OpenAITestServer"/>.</summary>
public sealed class OpenAITestServerOptions
{
    /// <summary>
    /// Gets or sets the clock that paces scripts (<see cref="SseScript.Pace"/>, <see cref="SseScript.Delay"/>) and
    /// replays (<see cref="Respond.Replay"/>). Pass a fake one to drive timing from a test without waiting.
    /// </summary>
    /// <value>The default is <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets how long the server's own waits may last before they fail with <see cref="TimeoutException"/>:
    /// <see cref="OpenAITestServer.WaitForRequestAsync"/>, <see cref="SseScript.WaitUntil"/>, <see cref="SseScript.WaitFor"/>
    /// and <see cref="Respond.CutWhen"/>. It bounds a broken test; it is not a timing assertion. Measured on the real clock;
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits for ever (for a debugging session).
    /// </summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan WaitTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
