namespace StreamingCodeGeneration.WebApi.Security;

/// <summary>A shared fixed-window count: how many were counted in the window, and how long until it ends.</summary>
/// <param name="Count">The count so far in this window (0 when no window is open).</param>
/// <param name="Remaining">The time until the window ends (zero when no window is open).</param>
internal readonly record struct WindowCount(long Count, TimeSpan Remaining);
