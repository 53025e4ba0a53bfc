using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace StreamingCodeGeneration.Tests.Infrastructure;

/// <summary>Keeps every formatted log line (with level and event id) for assertions.</summary>
public sealed class ListLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> _entries = new();

    public IReadOnlyList<(LogLevel Level, EventId Id, string Message)> Entries => _entries.ToArray();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, eventId, formatter(state, exception) + (exception is null ? string.Empty : " | " + exception)));
}
